import { expect } from 'chai'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load, YAML11_SCHEMA } from 'js-yaml'
import { ROLES_DIR } from '../../../src/engine/paths.js'
import { artifactsVar, hostScope, THREE_NODES, type Cluster } from './role-scope.js'

type FileEntry = { url: string; path: string; sha256: string }
const files = artifactsVar().files as Record<string, FileEntry>
const URL_VARS: Record<string, string> = {
  kubeadm: 'kubeadm_download_url', kubelet: 'kubelet_download_url', kubectl: 'kubectl_download_url', crictl: 'crictl_download_url',
  'cni-plugins': 'cni_download_url', containerd: 'containerd_download_url', runc: 'runc_download_url', etcd: 'etcd_download_url',
  nerdctl: 'nerdctl_download_url', calicoctl: 'calicoctl_download_url',
}

describe('download role variables', () => {
  it('every file of the manifest has a download entry and a kubespray *_download_url variable', () => {
    const entries = hostScope('node1', ['download']).get('download_file_entries') as Array<{ name: string; url_var: string }>
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

  describe('what each host downloads follows kubespray\'s enabled conditions, per network plugin', () => {
    const fileNames = (host: string, vars: Record<string, unknown>, cluster?: Cluster) =>
      (hostScope(host, ['download'], vars, cluster).get('download_files') as Array<{ name: string }>).map((f) => f.name)
    const imageNames = (host: string, vars: Record<string, unknown>, cluster?: Cluster) =>
      (hostScope(host, ['download'], vars, cluster).get('download_images') as Array<{ name: string }>).map((i) => i.name)
    const RUNTIME = ['containerd', 'runc', 'cni-plugins', 'crictl', 'nerdctl']
    const CONTROL_PLANE_IMAGES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']
    // THREE_NODES: node1 control plane, node2 and node3 workers, all etcd members; here node4 is an etcd
    // member outside the cluster and node3 is none
    const WITH_ETCD_ONLY: Cluster = {
      groups: { ...THREE_NODES.groups, etcd: ['node1', 'node2', 'node4'] },
      hostvars: { ...THREE_NODES.hostvars, node4: { ansible_host: '10.231.0.5' } },
    }

    it('calico (the default): calicoctl on cluster nodes, calico images, no flannel image anywhere', () => {
      const vars = {}
      expect(fileNames('node1', vars)).to.deep.equal([...RUNTIME, 'kubeadm', 'kubelet', 'kubectl', 'etcd', 'calicoctl'])
      expect(fileNames('node3', vars)).to.deep.equal([...RUNTIME, 'kubeadm', 'kubelet', 'etcd', 'calicoctl'])
      const node = ['kube-proxy', 'pause', 'coredns', 'calico-node', 'calico-cni', 'calico-kube-controllers', 'nodelocaldns']
      expect(imageNames('node1', vars)).to.have.members([...CONTROL_PLANE_IMAGES, ...node]).and.have.length(11)
      expect(imageNames('node3', vars)).to.deep.equal(node)
    })

    it('calico with typha and its API server: their images too', () => {
      const vars = { typha_enabled: true, calico_apiserver_enabled: true }
      expect(imageNames('node3', vars)).to.include.members(['calico-typha', 'calico-apiserver'])
    })

    it('flannel: no calicoctl, flannel images, no calico image anywhere', () => {
      const vars = { kube_network_plugin: 'flannel' }
      expect(fileNames('node1', vars)).to.deep.equal([...RUNTIME, 'kubeadm', 'kubelet', 'kubectl', 'etcd'])
      expect(fileNames('node3', vars)).to.deep.equal([...RUNTIME, 'kubeadm', 'kubelet', 'etcd'])
      const node = ['kube-proxy', 'pause', 'coredns', 'flannel', 'flannel-cni-plugin', 'nodelocaldns']
      expect(imageNames('node1', vars)).to.have.members([...CONTROL_PLANE_IMAGES, ...node]).and.have.length(10)
      expect(imageNames('node3', vars)).to.deep.equal(node)
    })

    it('cni (the user brings the plugin): no plugin file or image at all', () => {
      const vars = { kube_network_plugin: 'cni', enable_nodelocaldns: false }
      expect(fileNames('node3', vars)).to.deep.equal([...RUNTIME, 'kubeadm', 'kubelet', 'etcd'])
      expect(imageNames('node3', vars)).to.deep.equal(['kube-proxy', 'pause', 'coredns'])
      expect(imageNames('node1', vars)).to.have.members([...CONTROL_PLANE_IMAGES, 'kube-proxy', 'pause', 'coredns']).and.have.length(7)
    })

    it('an etcd member outside the cluster gets etcd and the runtime, no Kubernetes file or image', () => {
      expect(fileNames('node4', {}, WITH_ETCD_ONLY)).to.deep.equal([...RUNTIME, 'etcd'])
      expect(imageNames('node4', {}, WITH_ETCD_ONLY)).to.deep.equal([])
      expect(fileNames('node3', {}, WITH_ETCD_ONLY)).to.not.include('etcd')
    })

    it('every image of the manifest is some host\'s download under some setting', () => {
      const all = (artifactsVar().images as Array<{ name: string }>).map((i) => i.name)
      const pulled = new Set([
        ...imageNames('node1', { typha_enabled: true, calico_apiserver_enabled: true }),
        ...imageNames('node1', { kube_network_plugin: 'flannel' }),
      ])
      expect([...pulled].sort()).to.deep.equal([...all].sort())
    })
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

describe('download cache: the roles install from the names the download role writes', () => {
  const taskFiles = (readdirSync(ROLES_DIR, { recursive: true }) as string[])
    .filter((f) => /\/tasks\/[^/]+\.yaml$/.test(f) && !f.startsWith('download/'))
  /** Every string of a task file that names a file in the download cache, with the role it comes from. */
  const cacheReads = taskFiles.flatMap((f) => {
    const found: string[] = []
    const walk = (v: unknown): void => {
      if (typeof v === 'string' && v.startsWith('{{ local_release_dir }}/{{ kubeseed_artifacts.files')) found.push(v)
      else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    }
    walk(load(readFileSync(join(ROLES_DIR, f), 'utf8'), { schema: YAML11_SCHEMA }))
    return found.map((text) => ({ file: f, text }))
  })
  const s = hostScope('node1', ['download'])
  const written = new Set((s.get('download_files') as Array<{ name: string }>).map((item) =>
    s.child({ source: 'loop', vars: { item } }).render('{{ local_release_dir }}/{{ kubeseed_artifacts.files[item.name].cache }}')))

  it('the download role writes kubespray\'s versioned names, so an upgrade never overwrites the release before it', () => {
    expect([...written].sort()).to.include.members([
      '/tmp/releases/kubeadm-1.32.13-amd64', '/tmp/releases/kubelet-1.32.13-amd64', '/tmp/releases/kubectl-1.32.13-amd64',
      '/tmp/releases/runc-1.2.9.amd64', '/tmp/releases/containerd-2.0.7-linux-amd64.tar.gz', '/tmp/releases/etcd-3.5.29-linux-amd64.tar.gz',
      '/tmp/releases/cni-plugins-linux-amd64-1.4.1.tgz', '/tmp/releases/crictl-1.32.0-linux-amd64.tar.gz',
    ])
  })

  it('every role that installs from the cache reads one of those names', () => {
    expect(cacheReads.map((r) => r.file)).to.include.members(['container-engine/runc/tasks/main.yaml', 'kubernetes/node/tasks/main.yaml', 'upgrade/kubeadm/tasks/main.yaml'])
    for (const r of cacheReads) {
      for (const item of Object.keys(files)) {
        const path = String(s.child({ source: 'loop', vars: { item } }).render(r.text))
        expect(written, `${r.file}: ${r.text} (item ${item})`).to.include(path)
        if (!r.text.includes('item')) break
      }
    }
  })
})
