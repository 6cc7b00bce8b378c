import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mirrorGroupVars } from '../../../src/offline/serve.js'
import { artifactsVar, hostScope, render } from './role-scope.js'

// TOML is checked by a real parser (Python's tomllib), so a template that renders but is not TOML fails here.
function toml(text: string): Record<string, any> {
  return JSON.parse(execFileSync('python3', ['-c', 'import sys, tomllib, json; print(json.dumps(tomllib.loads(sys.stdin.read())))'], { input: text }).toString())
}

const CONTAINERD = ['container-engine/runc', 'container-engine/containerd']
const MIRROR = mirrorGroupVars('http://10.231.0.1:8080', '10.231.0.1:5000', {
  aptKey: { fingerprint: 'B'.repeat(40), publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n' },
  images: ['registry.k8s.io/pause', 'quay.io/calico/node'].map((repo, i) => ({ name: repo, repo, tag: 'v1', archive: `images/${repo}/v1.oci.tar`, manifestDigest: `sha256:${String(i).repeat(64)}` })),
})

describe('containerd templates', () => {
  it('containerd 1.x gets a version 2 config with systemd cgroups, the pause image and certs.d', () => {
    const s = hostScope('node2', CONTAINERD, { containerd_version: '1.6.20' })
    const c = toml(render('containerd/config.toml.hbs', s))
    expect(c.version).to.equal(2)
    const cri = c.plugins['io.containerd.grpc.v1.cri']
    expect(cri.sandbox_image).to.equal(`registry.k8s.io/pause:${(artifactsVar().versions as Record<string, string>).pause_version}`)
    expect(cri.containerd.runtimes.runc.options).to.deep.equal({ SystemdCgroup: true, BinaryName: '/usr/local/bin/runc' })
    expect(cri.containerd.snapshotter).to.equal('overlayfs')
    expect(cri.registry.config_path).to.equal('/etc/containerd/certs.d')
  })

  it('containerd 2.x (the manifest default) gets a version 3 config with the same choices', () => {
    const s = hostScope('node2', CONTAINERD)
    const c = toml(render('containerd/config.toml.hbs', s))
    expect(c.version).to.equal(3)
    expect(c.plugins['io.containerd.cri.v1.runtime'].containerd.runtimes.runc.options.SystemdCgroup).to.equal(true)
    expect(c.plugins['io.containerd.cri.v1.images'].pinned_images.sandbox).to.match(/^registry\.k8s\.io\/pause:/)
    expect(c.plugins['io.containerd.cri.v1.images'].registry.config_path).to.equal('/etc/containerd/certs.d')
    expect(c.plugins).not.to.have.property('io.containerd.grpc.v1.cri')
  })

  it('hosts.toml sends a registry to the offline mirror as `kubeseed offline serve` prints it', () => {
    const s = hostScope('node2', CONTAINERD, { ...MIRROR })
    const entry = MIRROR.containerd_registries_mirrors.find((m) => m.prefix === 'registry.k8s.io')
    const h = toml(render('containerd/hosts.toml.hbs', s, { item: entry }))
    expect(h.server).to.equal('https://registry.k8s.io')
    expect(h.host['http://10.231.0.1:5000']).to.deep.equal({ capabilities: ['pull', 'resolve'], skip_verify: false, override_path: false })
  })

  it('hosts.toml keeps kubespray defaults: server from the prefix, skip_verify false, several mirrors in order', () => {
    const s = hostScope('node2', CONTAINERD)
    const item = { prefix: 'docker.io', mirrors: [{ host: 'https://a.example', capabilities: ['pull'] }, { host: 'https://b.example', capabilities: ['pull', 'resolve'], skip_verify: true }] }
    const text = render('containerd/hosts.toml.hbs', s, { item })
    const h = toml(text)
    expect(h.server).to.equal('https://docker.io')
    expect(h.host['https://a.example']).to.deep.equal({ capabilities: ['pull'], skip_verify: false, override_path: false })
    expect(text.indexOf('a.example')).to.be.lessThan(text.indexOf('b.example'))
  })

  it('the containerd unit runs the unpacked binary', () => {
    const unit = render('systemd/containerd.service.hbs', hostScope('node1', CONTAINERD))
    expect(unit).to.match(/^ExecStart=\/usr\/local\/bin\/containerd$/m)
    expect(unit).to.match(/^Type=notify$/m)
    expect(unit).to.match(/^Delegate=yes$/m)
  })

  it('crictl talks to the containerd socket', () => {
    const y = render('crictl/crictl.yaml.hbs', hostScope('node1', CONTAINERD))
    expect(y).to.match(/^runtime-endpoint: unix:\/\/\/var\/run\/containerd\/containerd\.sock$/m)
    expect(y).to.match(/^image-endpoint: unix:\/\/\/var\/run\/containerd\/containerd\.sock$/m)
  })
})

describe('etcd templates', () => {
  const env = (host: string, vars = {}) => Object.fromEntries(render('etcd/etcd.env.hbs', hostScope(host, ['etcd'], vars))
    .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))

  it('every member names the same initial cluster, with kubespray member names and peer URLs over TLS', () => {
    const want = 'etcd1=https://10.231.0.2:2380,etcd2=https://10.231.0.3:2380,etcd3=https://10.231.0.4:2380'
    for (const host of ['node1', 'node2', 'node3']) expect(env(host, { ansible_default_ipv4: { address: '10.231.0.4' } }).ETCD_INITIAL_CLUSTER).to.equal(want)
  })

  it('a member advertises its own address and listens on it and on loopback', () => {
    const e = env('node2')
    expect(e.ETCD_NAME).to.equal('etcd2')
    expect(e.ETCD_ADVERTISE_CLIENT_URLS).to.equal('https://10.231.0.3:2379')
    expect(e.ETCD_INITIAL_ADVERTISE_PEER_URLS).to.equal('https://10.231.0.3:2380')
    expect(e.ETCD_LISTEN_CLIENT_URLS).to.equal('https://10.231.0.3:2379,https://127.0.0.1:2379')
    expect(e.ETCD_LISTEN_PEER_URLS).to.equal('https://10.231.0.3:2380')
    expect(e.ETCD_CERT_FILE).to.equal('/etc/ssl/etcd/ssl/member-node2.pem')
    expect(e.ETCD_PEER_CLIENT_CERT_AUTH).to.equal('true')
    expect(e.ETCD_CLIENT_CERT_AUTH).to.equal('true')
    expect(e).not.to.have.property('ETCD_UNSUPPORTED_ARCH')
  })

  it('a host without `ip` uses its default IPv4 address, and arm64 says so to etcd', () => {
    const e = env('node3', { ansible_default_ipv4: { address: '10.231.0.4' }, image_arch: 'arm64' })
    expect(e.ETCD_LISTEN_PEER_URLS).to.equal('https://10.231.0.4:2380')
    expect(e.ETCD_UNSUPPORTED_ARCH).to.equal('arm64')
  })

  it('etcdctl gets every member as an endpoint', () => {
    expect(hostScope('node1', ['etcd']).get('etcd_access_addresses')).to.equal('https://10.231.0.2:2379,https://10.231.0.3:2379,https://10.231.0.4:2379')
  })

  it('a member certificate names the host and its addresses once each', () => {
    expect(hostScope('node1', ['etcd']).get('etcd_cert_alt_names')).to.deep.equal(['node1', '10.231.0.2'])
  })

  it('the etcd unit reads /etc/etcd.env', () => {
    const unit = render('systemd/etcd.service.hbs', hostScope('node1', ['etcd']))
    expect(unit).to.match(/^EnvironmentFile=\/etc\/etcd\.env$/m)
    expect(unit).to.match(/^ExecStart=\/usr\/local\/bin\/etcd$/m)
  })
})

describe('apt sources template', () => {
  it('names only the mirror, a flat repository trusted through the bundle key only (never trusted=yes)', () => {
    const text = render('apt/sources.list.hbs', hostScope('node1', ['kubernetes/preinstall'], { ...MIRROR }))
    expect(text.split('\n').filter((l) => l.startsWith('deb'))).to.deep.equal(['deb [signed-by=/etc/apt/keyrings/kubeseed-mirror.asc] http://10.231.0.1:8080/debian ./'])
    expect(text).not.to.contain('trusted=yes')
  })
})
