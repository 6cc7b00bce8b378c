import { expect } from 'chai'
import { artifactsVar, hostScope } from './role-scope.js'

type FileEntry = { url: string; path: string; sha256: string }
const files = artifactsVar().files as Record<string, FileEntry>
const URL_VARS: Record<string, string> = {
  kubeadm: 'kubeadm_download_url', kubelet: 'kubelet_download_url', kubectl: 'kubectl_download_url', crictl: 'crictl_download_url',
  'cni-plugins': 'cni_download_url', containerd: 'containerd_download_url', runc: 'runc_download_url', etcd: 'etcd_download_url',
  nerdctl: 'nerdctl_download_url', calicoctl: 'calicoctl_download_url',
}

describe('download role variables', () => {
  it('every file of the manifest has a download entry and a kubespray *_download_url variable', () => {
    const entries = hostScope('node1', ['download']).get('download_files') as Array<{ name: string; url_var: string }>
    expect(entries.map((e) => e.name).sort()).to.deep.equal(Object.keys(files).sort())
    for (const e of entries) expect(e.url_var).to.equal(URL_VARS[e.name])
  })

  it('without files_repo, files come from their upstream URL', () => {
    const s = hostScope('node1', ['download'])
    for (const [name, v] of Object.entries(URL_VARS)) expect(s.get(v), name).to.equal(files[name]!.url)
  })

  it('with files_repo, every file comes from the mirror under its upstream path', () => {
    const s = hostScope('node1', ['download'], { files_repo: 'http://10.231.0.1:8080/files' })
    for (const [name, v] of Object.entries(URL_VARS)) {
      expect(s.get(v), name).to.equal(`http://10.231.0.1:8080/files/${files[name]!.path}`)
      expect(files[name]!.url.endsWith(files[name]!.path), name).to.equal(true)
    }
  })

  it('a user override of one *_download_url wins for that file only', () => {
    const s = hostScope('node1', ['download'], { files_repo: 'http://m/files', runc_download_url: 'http://other/runc' })
    expect(s.get('runc_download_url')).to.equal('http://other/runc')
    expect(s.get('etcd_download_url')).to.equal(`http://m/files/${files.etcd!.path}`)
  })

  it('control-plane nodes pull every image of the manifest; other nodes only what runs on every node', () => {
    const all = (artifactsVar().images as Array<{ name: string }>).map((i) => i.name)
    const names = (host: string) => (hostScope(host, ['download']).get('download_images') as Array<{ name: string }>).map((i) => i.name)
    expect(names('node1')).to.deep.equal(all)
    expect(names('node2')).to.deep.equal(['kube-proxy', 'pause', 'coredns', 'calico-node', 'calico-cni', 'calico-kube-controllers', 'flannel', 'flannel-cni-plugin', 'nodelocaldns'])
    expect(names('node2').every((n) => all.includes(n))).to.equal(true)
  })

  it('the pause image of containerd is the manifest pause image', () => {
    const s = hostScope('node2', ['container-engine/containerd'])
    const pause = (artifactsVar().images as Array<{ name: string; repo: string; tag: string }>).find((i) => i.name === 'pause')!
    expect(`${s.get('pod_infra_image_repo')}:${s.get('pod_infra_image_tag')}`).to.equal(`${pause.repo}:${pause.tag}`)
  })
})

describe('preinstall role variables', () => {
  it('/etc/hosts gets every cluster node once, by access_ip, ip or ansible_host', () => {
    const block = hostScope('node1', ['kubernetes/preinstall']).get('etc_hosts_inventory_block') as string
    expect(block.trim().split('\n')).to.deep.equal([
      '10.231.0.2 node1.cluster.local node1',
      '10.231.0.3 node2.cluster.local node2',
      '10.231.0.4 node3.cluster.local node3',
    ])
  })
})

describe('download role: images from a mirror', () => {
  it('with a mirror, images are pinned (a digest is required) and failures name the mirror hosts; without one they are not', () => {
    expect(hostScope('node1', ['download']).get('download_images_pinned')).to.equal(false)
    const mirror = {
      registry_host: '10.231.0.1:5000',
      containerd_registries_mirrors: ['registry.k8s.io', 'quay.io'].map((prefix) => ({ prefix, mirrors: [{ host: 'http://10.231.0.1:5000', capabilities: ['pull'] }] })),
    }
    const s = hostScope('node1', ['download', 'container-engine/containerd'], mirror)
    expect(s.get('download_images_pinned')).to.equal(true)
    expect(s.get('download_image_mirrors')).to.equal('http://10.231.0.1:5000')
    // Digests alone (an inventory without registry_host) pin too: a digest is never dropped for the tag.
    expect(hostScope('node1', ['download'], { kubeseed_image_digests: { 'registry.k8s.io/pause:3.10': `sha256:${'0'.repeat(64)}` } })
      .get('download_images_pinned')).to.equal(true)
  })
})
