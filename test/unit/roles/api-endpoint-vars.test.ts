// kubespray's API endpoint variables, as kubeseed derives them for each kind of host: what the kubelet and
// kubeconfigs of that host talk to, and where a joining node discovers the cluster.

import { expect } from 'chai'
import { clusterScopes } from './cluster-scope.js'

const get = (scope: ReturnType<ReturnType<typeof clusterScopes>>, name: string) => scope.get(name)

describe('API endpoint variables (kubespray_defaults)', () => {
  it('a worker talks to its local load balancer on localhost and discovers through the first control plane', () => {
    const w1 = clusterScopes([])('w1')
    expect(get(w1, 'loadbalancer_apiserver_localhost')).to.equal(true)
    expect(get(w1, 'kube_apiserver_endpoint')).to.equal('https://localhost:6443')
    expect(get(w1, 'kube_apiserver_global_endpoint')).to.equal('https://localhost:6443')
    expect(get(w1, 'apiserver_loadbalancer_domain_name')).to.equal('localhost')
    expect(get(w1, 'kubeadm_discovery_address')).to.equal('10.231.19.2:6443')
  })

  it('a control plane talks to its own API server; the first control plane is found by access_ip, ip or ansible_host', () => {
    expect(get(clusterScopes([])('cp2'), 'kube_apiserver_endpoint')).to.equal('https://127.0.0.1:6443')
    expect(get(clusterScopes([], {}, undefined, { cp1: { access_ip: '10.231.20.9' } })('w2'), 'first_kube_control_plane_address')).to.equal('10.231.20.9')
    const noIp = clusterScopes([], {}, { groups: { kube_control_plane: ['cp3'], kube_node: ['w1'], k8s_cluster: ['cp3', 'w1'] }, hostvars: { cp3: { ansible_host: '10.231.19.4' }, w1: { ip: '10.231.19.5' } } })
    expect(get(noIp('w1'), 'kubeadm_discovery_address')).to.equal('10.231.19.4:6443')
  })

  it('loadbalancer_apiserver_port moves the local listener and the endpoint with it', () => {
    const w1 = clusterScopes([], { loadbalancer_apiserver_port: 7443 })('w1')
    expect(get(w1, 'kube_apiserver_endpoint')).to.equal('https://localhost:7443')
    expect(get(w1, 'kubeadm_discovery_address')).to.equal('10.231.19.2:6443')
  })

  it('an external load balancer is the endpoint for every host, and for discovery', () => {
    const ext = clusterScopes([], { loadbalancer_apiserver: { address: '10.231.19.100', port: 8443 } })
    for (const h of ['cp1', 'w1']) {
      expect(get(ext(h), 'loadbalancer_apiserver_localhost'), h).to.equal(false)
      expect(get(ext(h), 'kube_apiserver_endpoint'), h).to.equal('https://10.231.19.100:8443')
      expect(get(ext(h), 'kubeadm_discovery_address'), h).to.equal('10.231.19.100:8443')
    }
    expect(get(ext('w1'), 'apiserver_loadbalancer_domain_name')).to.equal('10.231.19.100')
  })

  it('without any load balancer a worker goes to the first control plane', () => {
    const w1 = clusterScopes([], { loadbalancer_apiserver_localhost: false })('w1')
    expect(get(w1, 'kube_apiserver_endpoint')).to.equal('https://10.231.19.2:6443')
    expect(get(w1, 'kubeadm_discovery_address')).to.equal('10.231.19.2:6443')
  })
})
