// The local API load balancer's configuration: every control plane is an upstream, the listener is on
// loopback at loadbalancer_apiserver_port, and the health endpoint follows its variable.

import { expect } from 'chai'
import { render } from './role-scope.js'
import { clusterScopes, FIVE_NODES } from './cluster-scope.js'

const ROLES = ['kubernetes/loadbalancer']
const CONTROL_PLANES = ['10.231.19.2', '10.231.19.3', '10.231.19.4']

describe('API load balancer templates (loadbalancer_apiserver_localhost)', () => {
  it('nginx: a TCP stream upstream with every control plane, on 127.0.0.1:6443, and the stream module loaded', () => {
    const conf = render('loadbalancer/nginx.conf.hbs', clusterScopes(ROLES)('w1'))
    const upstream = /upstream kube_apiserver \{([^}]*)\}/.exec(conf)![1]!
    expect([...upstream.matchAll(/server (\S+);/g)].map((m) => m[1])).to.deep.equal(CONTROL_PLANES.map((a) => `${a}:6443`))
    expect(conf).to.match(/^stream \{$/m)
    expect(conf).to.match(/^\s+listen\s+127\.0\.0\.1:6443;$/m)
    expect(conf).to.match(/^\s+proxy_pass\s+kube_apiserver;$/m)
    expect(conf).to.match(/^load_module \/usr\/lib\/nginx\/modules\/ngx_stream_module\.so;$/m)
    expect(conf).to.match(/^\s+listen 8081;$/m)
    expect(conf.split('{').length).to.equal(conf.split('}').length)
  })

  it('remove-node: the control planes it removes are no upstream of the nodes that stay', () => {
    const conf = render('loadbalancer/nginx.conf.hbs', clusterScopes(ROLES, { loadbalancer_apiserver_removed_hosts: [FIVE_NODES.groups.kube_control_plane![1]] })('w1'))
    const upstream = /upstream kube_apiserver \{([^}]*)\}/.exec(conf)![1]!
    expect([...upstream.matchAll(/server (\S+);/g)].map((m) => m[1])).to.deep.equal([CONTROL_PLANES[0], CONTROL_PLANES[2]].map((a) => `${a}:6443`))
    const cfg = render('loadbalancer/haproxy.cfg.hbs', clusterScopes(ROLES, { loadbalancer_apiserver_removed_hosts: ['w2', FIVE_NODES.groups.kube_control_plane![0]] })('w1'))
    expect([...cfg.matchAll(/^\s+server (\S+) /gm)].map((m) => m[1])).to.deep.equal(FIVE_NODES.groups.kube_control_plane!.slice(1))
  })

  it('haproxy: a TCP frontend on loopback and a backend checking every control plane\'s /healthz over TLS', () => {
    const cfg = render('loadbalancer/haproxy.cfg.hbs', clusterScopes(ROLES)('w2'))
    expect(cfg).to.match(/^frontend kube_api_frontend\n\s+bind 127\.0\.0\.1:6443\n\s+mode tcp$/m)
    const servers = [...cfg.matchAll(/^\s+server (\S+) (\S+) check check-ssl verify none$/gm)].map((m) => [m[1], m[2]])
    expect(servers).to.deep.equal(FIVE_NODES.groups.kube_control_plane!.map((h, i) => [h, `${CONTROL_PLANES[i]}:6443`]))
    expect(cfg).to.match(/^\s+option httpchk GET \/healthz$/m)
    expect(cfg).to.match(/^frontend healthz\n\s+bind 0\.0\.0\.0:8081$/m)
  })

  it('honours the port, the API servers\' port, access_ip, the keepalive timeout, and no health endpoint', () => {
    const vars = { loadbalancer_apiserver_port: 7443, kube_apiserver_port: 6444, loadbalancer_apiserver_keepalive_timeout: '2m', loadbalancer_apiserver_healthcheck_port: false }
    const scope = clusterScopes(ROLES, vars, undefined, { cp2: { access_ip: '10.231.20.3' } })('w1')
    const conf = render('loadbalancer/nginx.conf.hbs', scope)
    expect(conf).to.match(/listen\s+127\.0\.0\.1:7443;/)
    expect(conf).to.contain('server 10.231.20.3:6444;')
    expect(conf).to.contain('keepalive_timeout 2m;')
    expect(conf).not.to.contain('/healthz')
    const cfg = render('loadbalancer/haproxy.cfg.hbs', scope)
    expect(cfg).to.match(/bind 127\.0\.0\.1:7443$/m)
    expect(cfg).to.contain('server cp2 10.231.20.3:6444 check')
    expect(cfg).not.to.contain('frontend healthz')
  })

  it('an IPv6 control plane address is bracketed', () => {
    const scope = clusterScopes(ROLES, {}, undefined, { cp3: { ip: 'fd00::4' } })('w1')
    expect(render('loadbalancer/nginx.conf.hbs', scope)).to.contain('server [fd00::4]:6443;')
  })

  it('the units run the configuration kubespray\'s paths name, check it first, and restart on failure', () => {
    const scope = clusterScopes(ROLES)('w1')
    const nginx = render('systemd/nginx-proxy.service.hbs', scope)
    expect(nginx).to.match(/^ExecStartPre=\/usr\/sbin\/nginx -t -q -c \/etc\/nginx\/nginx\.conf$/m)
    expect(nginx).to.match(/^ExecStart=\/usr\/sbin\/nginx -c \/etc\/nginx\/nginx\.conf -g 'daemon off;'$/m)
    const haproxy = render('systemd/haproxy.service.hbs', scope)
    expect(haproxy).to.match(/^ExecStart=\/usr\/sbin\/haproxy -Ws -f \/etc\/haproxy\/haproxy\.cfg/m)
    for (const unit of [nginx, haproxy]) {
      expect(unit).to.match(/^Restart=always$/m)
      expect(unit).to.match(/^Before=kubelet\.service$/m)
    }
  })

  it('the unit is named after kubespray\'s pod, and the packages come from the manifest\'s set for the type', () => {
    const sets = { nginx: { debian: ['nginx', 'libnginx-mod-stream'] }, haproxy: { debian: ['haproxy'] } }
    const scopeOf = (type: string) => clusterScopes(ROLES, { loadbalancer_apiserver_type: type, kubeseed_artifacts: { package_sets: sets } })('w1')
    expect(scopeOf('nginx').get('loadbalancer_apiserver_pod_name')).to.equal('nginx-proxy')
    expect(scopeOf('nginx').get('loadbalancer_apiserver_packages')).to.deep.equal(['nginx', 'libnginx-mod-stream'])
    expect(scopeOf('nginx').get('loadbalancer_apiserver_other_unit')).to.equal('haproxy')
    expect(scopeOf('haproxy').get('loadbalancer_apiserver_pod_name')).to.equal('haproxy')
    expect(scopeOf('haproxy').get('loadbalancer_apiserver_packages')).to.deep.equal(['haproxy'])
    expect(scopeOf('haproxy').get('loadbalancer_apiserver_other_unit')).to.equal('nginx-proxy')
  })
})
