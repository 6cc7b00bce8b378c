import { expect } from 'chai'
import { mkdtempSync, writeFileSync, cpSync, rmSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { artifactsFor, defaultManifestDir, loadManifest, supportedReleases } from '../../../src/offline/manifest.js'
import { formatArtifacts } from '../../../src/offline/list.js'
import { debianPackages } from '../../../src/offline/build.js'
import { UsageError } from '../../../src/engine/errors.js'
import { ManifestError } from '../../../src/offline/manifest-error.js'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { SANDBOX_KUBE_VERSION } from '../../../src/sandbox/airgap.js'
import { load, YAML11_SCHEMA } from 'js-yaml'

// Spot checks copied from kubespray's checksum tables (roles/kubespray_defaults/vars/main/checksums.yml):
// release-2.28 for 1.30-1.32, master at 46dbdd39 for 1.34-1.36.
const KUBESPRAY = {
  '1.30.14': { amd64: { kubeadm: 'bf1f8af81af8ecf003cbc03a8700c6e94a74c183ee092bbc77b92270ada2be70', calicoctl: 'c4e281a404d14da561c65838195b2a4bcf18aebca1bede5ef6b99e0bf78cb8a0' } },
  '1.32.13': { arm64: { kubeadm: '53d7235bb72f25af3613b383600e89b5fd20a902a976a29218f9c4bd1ba08316', kubectl: 'b1f87f196633a89208546d79bfa4e2470bda70e7bf42c4d3adb008ec208da9d1' } },
  '1.34.11': { amd64: { etcd: '5025b5b24d81a9616b6e284ccd439b9a3df055ef8fdcdc142af3ec8f6a3b3c95', crictl: 'a8ff2a3edb37a98daf3aba7c3b284fe0aa5bff24166d896ab9ef64c8913c9f51' } },
  '1.35.8': { arm64: { kubelet: '7744f84c49df6dff7d0a0471f9acef31568c02459659de83aa279cf3a04b1714', etcd: 'fa1b80565ee6fc2df1ae6f57a508b221f3ecc7d591c317c581cd8281b0842b3e' } },
  '1.36.4': {
    amd64: { kubeadm: '10d054585907f2c8bb823c84f6a66b3bd2a474c3d795475f04e9a44f78650fe6', containerd: '9d68969855fbf676cdb8ed758e420fb048d61f984f61de3e53eddfebe484d168' },
    arm64: { kubelet: 'fd53ea3fcbd077844f50a3c67e9b52f62972a563674956bab0c0f4fb7ea37d50', calicoctl: 'd7adff41398cb77b97451bf238022376382725ff231228f78b3ebc35d9fb9fda' },
  },
}

const RELEASES = ['1.36.4', '1.35.8', '1.34.11', '1.32.13', '1.31.14', '1.30.14']
const FILES = ['kubeadm', 'kubelet', 'kubectl', 'crictl', 'cni-plugins', 'containerd', 'runc', 'etcd', 'nerdctl', 'calicoctl']
const IMAGES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'pause', 'coredns', 'etcd',
  'calico-node', 'calico-cni', 'calico-kube-controllers', 'calico-typha', 'calico-apiserver', 'flannel', 'flannel-cni-plugin',
  'nodelocaldns']

// The network plugins' and apps' images as kubespray pins them for each minor (release-2.28 for 1.30-1.32).
const RELEASE_228 = {
  'calico-node': 'quay.io/calico/node:v3.29.7', 'calico-cni': 'quay.io/calico/cni:v3.29.7',
  'calico-kube-controllers': 'quay.io/calico/kube-controllers:v3.29.7', 'calico-typha': 'quay.io/calico/typha:v3.29.7',
  'calico-apiserver': 'quay.io/calico/apiserver:v3.29.7', flannel: 'docker.io/flannel/flannel:v0.22.0',
  'flannel-cni-plugin': 'docker.io/flannel/flannel-cni-plugin:v1.1.2', nodelocaldns: 'registry.k8s.io/dns/k8s-dns-node-cache:1.25.0',
  coredns: 'registry.k8s.io/coredns/coredns:v1.11.3',
}
const MASTER = {
  'calico-node': 'quay.io/calico/node:v3.31.7', 'calico-cni': 'quay.io/calico/cni:v3.31.7',
  'calico-kube-controllers': 'quay.io/calico/kube-controllers:v3.31.7', 'calico-typha': 'quay.io/calico/typha:v3.31.7',
  'calico-apiserver': 'quay.io/calico/apiserver:v3.31.7', flannel: 'docker.io/flannel/flannel:v0.28.4',
  'flannel-cni-plugin': 'docker.io/flannel/flannel-cni-plugin:v1.7.1-flannel1', nodelocaldns: 'registry.k8s.io/dns/k8s-dns-node-cache:1.25.0',
}
const PLUGIN_IMAGES: Record<string, Record<string, string>> = {
  '1.30.14': { ...RELEASE_228, pause: 'registry.k8s.io/pause:3.9' },
  '1.31.14': { ...RELEASE_228, pause: 'registry.k8s.io/pause:3.10' },
  '1.32.13': { ...RELEASE_228, pause: 'registry.k8s.io/pause:3.10' },
  '1.34.11': { ...MASTER, coredns: 'registry.k8s.io/coredns/coredns:v1.12.1', pause: 'registry.k8s.io/pause:3.10.1' },
  '1.35.8': { ...MASTER, coredns: 'registry.k8s.io/coredns/coredns:v1.12.4', pause: 'registry.k8s.io/pause:3.10.1' },
  '1.36.4': { ...MASTER, coredns: 'registry.k8s.io/coredns/coredns:v1.14.2', pause: 'registry.k8s.io/pause:3.10.2' },
}

function scratchManifest(extra: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kubeseed-manifest-'))
  const file = join(dir, 'extra.yaml')
  writeFileSync(file, extra)
  return { dir, file }
}

function errorOf(fn: () => unknown): Error {
  try {
    fn()
  } catch (e) {
    return e as Error
  }
  throw new Error('expected an error')
}

describe('offline manifest', () => {
  it('supports the latest patch of six minors on amd64 and arm64', () => {
    const releases = supportedReleases(loadManifest())
    expect(releases.map((r) => r.kubeVersion)).to.deep.equal(RELEASES)
    for (const r of releases) expect(r.arches).to.have.members(['amd64', 'arm64'])
  })

  it('every release version parses as major.minor.patch, and its minor finds it', () => {
    for (const kubeVersion of RELEASES) {
      expect(kubeVersion).to.match(/^1\.\d+\.\d+$/)
      const minor = kubeVersion.split('.').slice(0, 2).join('.')
      expect(artifactsFor({ kubeVersion: minor, arch: 'amd64' }).kubeVersion).to.equal(kubeVersion)
      expect(artifactsFor({ kubeVersion: `v${kubeVersion}`, arch: 'arm64' }).kubeVersion).to.equal(kubeVersion)
    }
  })

  for (const kubeVersion of RELEASES) {
    for (const arch of ['amd64', 'arm64']) {
      it(`resolves every file, image and package for ${kubeVersion} ${arch}`, () => {
        const a = artifactsFor({ kubeVersion, arch })
        expect(a.files.map((f) => f.name)).to.deep.equal(FILES)
        expect(a.images.map((i) => i.name)).to.deep.equal(IMAGES)
        for (const f of a.files) {
          expect(f.sha256).to.match(/^[0-9a-f]{64}$/)
          expect(f.url).to.equal(`https://${f.path}`)
          expect(f.url).to.include(arch)
          expect(f.url).to.include(`v${f.version}`)
        }
        const kubeadm = a.files.find((f) => f.name === 'kubeadm')!
        expect(kubeadm.path).to.equal(`dl.k8s.io/release/v${kubeVersion}/bin/linux/${arch}/kubeadm`)
        const containerd = a.files.find((f) => f.name === 'containerd')!
        expect(containerd.path).to.equal(`github.com/containerd/containerd/releases/download/v${a.versions.containerd_version}/containerd-${a.versions.containerd_version}-linux-${arch}.tar.gz`)
        const api = a.images.find((i) => i.name === 'kube-apiserver')!
        expect(`${api.repo}:${api.tag}`).to.equal(`registry.k8s.io/kube-apiserver:v${kubeVersion}`)
        expect(a.packages.debian).to.include.members(['conntrack', 'socat', 'ipset', 'ipvsadm', 'ebtables'])
        expect(a.packages.redhat).to.include.members(['conntrack', 'socat', 'ipset', 'ipvsadm', 'ebtables'])
        // every sha256 is distinct: no copy-paste between files
        expect(new Set(a.files.map((f) => f.sha256)).size).to.equal(a.files.length)
        const calicoctl = a.files.find((f) => f.name === 'calicoctl')!
        expect(calicoctl.path).to.equal(`github.com/projectcalico/calico/releases/download/v${a.versions.calico_version}/calicoctl-linux-${arch}`)
      })
    }

    it(`names the network plugins' and apps' images of ${kubeVersion} with kubespray's versions`, () => {
      const a = artifactsFor({ kubeVersion, arch: 'amd64' })
      const images = Object.fromEntries(a.images.map((i) => [i.name, `${i.repo}:${i.tag}`]))
      expect(images).to.include(PLUGIN_IMAGES[kubeVersion])
      // arm64 resolves the same image references (multi-arch images: the registry picks the architecture)
      expect(artifactsFor({ kubeVersion, arch: 'arm64' }).images).to.deep.equal(a.images)
    })
  }

  it('carries the API load balancer packages as package sets, not in every node\'s list', () => {
    for (const kubeVersion of RELEASES) {
      const a = artifactsFor({ kubeVersion, arch: 'amd64' })
      expect(a.packageSets).to.deep.equal({
        nginx: { debian: ['nginx', 'libnginx-mod-stream'], redhat: ['nginx', 'nginx-mod-stream'] },
        haproxy: { debian: ['haproxy'], redhat: ['haproxy'] },
      })
      expect(a.packages.debian).to.not.include.members(['nginx', 'haproxy'])
    }
  })

  it('a bundle\'s Debian repository wants the node packages and every package set, each once', () => {
    const a = artifactsFor({ kubeVersion: '1.36', arch: 'amd64' })
    const wanted = debianPackages({ ...a, packageSets: { ...a.packageSets, extra: { debian: ['socat', 'keepalived'], redhat: [] } } })
    expect(wanted).to.deep.equal([...a.packages.debian, 'nginx', 'libnginx-mod-stream', 'haproxy', 'keepalived'])
  })

  it('the default kube_version (roles, sample inventory, sandbox) is the newest release of the manifest', () => {
    const yaml = (path: string) => load(readFileSync(join(PACKAGE_ROOT, path), 'utf8'), { schema: YAML11_SCHEMA }) as Record<string, unknown>
    const newest = RELEASES[0]
    expect(String(yaml('roles/kubespray_defaults/defaults/main.yaml').kube_version)).to.equal(newest)
    expect(String(yaml('inventory/sample/group_vars/k8s_cluster/k8s-cluster.yml').kube_version)).to.equal(newest)
    expect(SANDBOX_KUBE_VERSION).to.equal(newest)
  })

  it('carries kubespray\'s checksums and per-minor component versions', () => {
    for (const [kv, arches] of Object.entries(KUBESPRAY)) {
      for (const [arch, sums] of Object.entries(arches)) {
        const a = artifactsFor({ kubeVersion: kv, arch })
        for (const [name, sum] of Object.entries(sums)) expect(a.files.find((f) => f.name === name)?.sha256).to.equal(sum)
      }
    }
    expect(artifactsFor({ kubeVersion: '1.30.14', arch: 'amd64' }).versions).to.include({ pause_version: '3.9', crictl_version: '1.30.1' })
    expect(artifactsFor({ kubeVersion: '1.32.13', arch: 'amd64' }).versions).to.include({ pause_version: '3.10', crictl_version: '1.32.0' })
    expect(artifactsFor({ kubeVersion: '1.34.11', arch: 'amd64' }).versions).to.include({ etcd_version: '3.5.33', crictl_version: '1.34.0' })
    expect(artifactsFor({ kubeVersion: '1.36.4', arch: 'arm64' }).versions).to.include({
      etcd_version: '3.6.14', containerd_version: '2.3.4', runc_version: '1.4.3', cni_version: '1.9.1', nerdctl_version: '2.3.0', crictl_version: '1.36.0',
    })
  })

  it('names each file in the download cache as kubespray does (downloads.<name>.dest), versioned', () => {
    const cacheNames = (kv: string) => Object.fromEntries(artifactsFor({ kubeVersion: kv, arch: 'amd64' }).files.map((f) => [f.name, f.cache]))
    expect(cacheNames('1.32.13')).to.deep.equal({
      kubeadm: 'kubeadm-1.32.13-amd64', kubelet: 'kubelet-1.32.13-amd64', kubectl: 'kubectl-1.32.13-amd64',
      crictl: 'crictl-1.32.0-linux-amd64.tar.gz', 'cni-plugins': 'cni-plugins-linux-amd64-1.4.1.tgz',
      containerd: 'containerd-2.0.7-linux-amd64.tar.gz', runc: 'runc-1.2.9.amd64', etcd: 'etcd-3.5.29-linux-amd64.tar.gz',
      nerdctl: 'nerdctl-2.0.5-linux-amd64.tar.gz', calicoctl: 'calicoctl-3.29.7-amd64',
    })
    // An upgrade downloads beside the release before it: no Kubernetes binary of two minors shares a cache name.
    const older = cacheNames('1.31.14')
    for (const name of ['kubeadm', 'kubelet', 'kubectl']) expect(cacheNames('1.32.13')[name], name).not.to.equal(older[name])
  })

  it('a file an extra manifest gives without a cache name is cached under its URL\'s file name; a path is refused', () => {
    const { dir, file } = scratchManifest([
      'files:',
      '  - { name: runc, version: runc_version, url: "https://mirror/runc/v{{ runc_version }}/runc.{{ image_arch }}" }',
      '  - { name: kubeadm, version: kube_version, url: "https://mirror/kubeadm", cache: "kubeadm-{{ kube_version }}" }',
      '',
    ].join('\n'))
    const bad = scratchManifest('files:\n  - { name: yq, version: kube_version, url: "https://x/yq", cache: "../yq" }\n')
    try {
      const a = artifactsFor({ kubeVersion: '1.32.13', arch: 'amd64', manifestFiles: [file] })
      expect(a.files.filter((f) => ['runc', 'kubeadm'].includes(f.name)).map((f) => [f.name, f.cache]))
        .to.deep.equal([['kubeadm', 'kubeadm-1.32.13'], ['runc', 'runc.amd64']])
      expect(errorOf(() => loadManifest({ manifestFiles: [bad.file] })).message).to.match(/files\[0\] \(yq\): cache must be a file name, got "\.\.\/yq"/)
    } finally {
      rmSync(dir, { recursive: true })
      rmSync(bad.dir, { recursive: true })
    }
  })

  it('accepts a leading v and a bare minor (its newest patch)', () => {
    expect(artifactsFor({ kubeVersion: 'v1.31.14', arch: 'amd64' }).kubeVersion).to.equal('1.31.14')
    expect(artifactsFor({ kubeVersion: '1.31', arch: 'amd64' }).kubeVersion).to.equal('1.31.14')
  })

  it('rejects an unknown version, listing the supported ones', () => {
    const err = errorOf(() => artifactsFor({ kubeVersion: '1.29.9', arch: 'amd64' }))
    expect(err).to.be.instanceOf(UsageError)
    expect(err.message).to.include('"1.29.9"').and.include('1.32.13 (amd64, arm64)').and.include('1.30.14')
  })

  it('rejects an unknown architecture, listing the supported ones', () => {
    const err = errorOf(() => artifactsFor({ kubeVersion: '1.32.13', arch: 'ppc64le' }))
    expect(err).to.be.instanceOf(UsageError)
    expect(err.message).to.include('ppc64le').and.include('supported: amd64, arm64')
  })

  it('merges an extra manifest: its release overrides the built-in one of the same version', () => {
    const sums = Object.fromEntries(['kubeadm', 'kubelet'].map((n, i) => [n, (i ? 'b' : 'a').repeat(64)]))
    const { dir, file } = scratchManifest([
      'releases:',
      '  - kube_version: 1.32.13',
      '    files: [kubeadm, kubelet]',
      '    versions: { etcd_version: "3.4.23", containerd_version: "1.6.20", runc_version: "1.1.5", cni_version: "1.1.1",',
      '      crictl_version: "1.32.0", nerdctl_version: "2.0.5", calico_version: "3.29.7", coredns_version: "1.11.3", pause_version: "3.10",',
      '      flannel_version: "0.22.0", flannel_cni_version: "1.1.2", nodelocaldns_version: "1.25.0" }',
      '    sha256:',
      '      amd64:',
      `        kubeadm: ${sums.kubeadm}`,
      `        kubelet: ${sums.kubelet}`,
      '',
    ].join('\n'))
    try {
      const a = artifactsFor({ kubeVersion: '1.32.13', arch: 'amd64', manifestFiles: [file] })
      expect(a.files.map((f) => [f.name, f.sha256])).to.deep.equal([['kubeadm', sums.kubeadm], ['kubelet', sums.kubelet]])
      expect(a.images.find((i) => i.name === 'etcd')?.tag).to.equal('v3.4.23')
      expect(artifactsFor({ kubeVersion: '1.32.13', arch: 'amd64' }).files).to.have.length(FILES.length)
    } finally {
      rmSync(dir, { recursive: true })
    }
  })

  describe('validation names the file and the entry', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['a bad checksum', 'releases:\n  - kube_version: 1.40.0\n    sha256: { amd64: { kubeadm: "abc" } }\n', /extra\.yaml: releases\[0\] \(1\.40\.0\): sha256\.amd64\.kubeadm is not a sha256/],
      ['a version YAML reads as a number', 'releases:\n  - kube_version: 1.40.0\n    versions: { pause_version: 3.10 }\n    sha256: { amd64: {} }\n', /releases\[0\] \(1\.40\.0\): versions\.pause_version must be a string \(quote it/],
      ['an unquoted minor as kube_version', 'releases:\n  - kube_version: 1.40\n    sha256: { amd64: {} }\n', /releases\[0\]: kube_version must be a string/],
      ['a missing checksum', 'releases:\n  - kube_version: 1.40.0\n    versions: { crictl_version: "1" }\n    sha256: { amd64: { kubeadm: "' + 'a'.repeat(64) + '" } }\n', /extra\.yaml: release 1\.40\.0 sha256\.amd64: no checksum for "kubelet"/],
      ['an unknown placeholder', 'files:\n  - { name: kubeadm, version: kube_version, url: "https://x/{{ kube_vresion }}/kubeadm" }\n', /file "kubeadm" url: unknown variable "kube_vresion"/],
      ['an unknown field', 'images:\n  - { name: pause, repo: registry.k8s.io/pause, tag: "3.10", digets: x }\n', /extra\.yaml: images\[0\] \(pause\): unknown field "digets"/],
      ['an unknown OS family', 'packages:\n  suse: [socat]\n', /extra\.yaml: packages: unknown OS family "suse"/],
      ['a package set that is not a mapping', 'package_sets:\n  nginx: [nginx]\n', /extra\.yaml: package_sets\.nginx must map an OS family/],
      ['a bad package set name', 'package_sets:\n  Big Set: { debian: [nginx] }\n', /extra\.yaml: package_sets: "Big Set" is not a set name/],
      ['broken YAML', 'files: [\n', /extra\.yaml:\d+: not valid YAML/],
    ]
    for (const [what, yaml, pattern] of cases) {
      it(`rejects ${what}`, () => {
        const { dir, file } = scratchManifest(yaml)
        try {
          const err = errorOf(() => loadManifest({ manifestFiles: [file] }))
          expect(err).to.be.instanceOf(ManifestError)
          expect(err.message).to.match(pattern)
        } finally {
          rmSync(dir, { recursive: true })
        }
      })
    }

    it('checks the built-in data too (a broken copy of offline/ fails to load)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'kubeseed-offline-'))
      try {
        cpSync(defaultManifestDir(), dir, { recursive: true })
        writeFileSync(join(dir, 'kubernetes-1.31.yaml'), 'releases:\n  - kube_version: 1.31.14\n    sha256: { amd64: { kubeadm: "' + 'b'.repeat(64) + '" } }\n')
        const err = errorOf(() => loadManifest({ manifestDir: dir }))
        expect(err.message).to.include('kubernetes-1.31.yaml').and.include('release 1.31.14')
      } finally {
        rmSync(dir, { recursive: true })
      }
    })
  })

  it('lists artifacts as text', () => {
    const text = formatArtifacts(artifactsFor({ kubeVersion: '1.30', arch: 'amd64' }))
    expect(text).to.include('Kubernetes 1.30.14 (amd64)')
    expect(text).to.include('dl.k8s.io/release/v1.30.14/bin/linux/amd64/kubelet')
    expect(text).to.include('sha256:bf1f8af81af8ecf003cbc03a8700c6e94a74c183ee092bbc77b92270ada2be70')
    expect(text).to.include('registry.k8s.io/pause:3.9')
    expect(text).to.match(/debian: .*conntrack/)
    expect(text).to.include('  nginx debian: nginx libnginx-mod-stream').and.include('  haproxy redhat: haproxy')
    expect(text).to.include('docker.io/flannel/flannel-cni-plugin:v1.1.2')
  })
})
