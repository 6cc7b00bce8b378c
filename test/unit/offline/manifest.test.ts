import { expect } from 'chai'
import { mkdtempSync, writeFileSync, cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { artifactsFor, defaultManifestDir, loadManifest, supportedReleases } from '../../../src/offline/manifest.js'
import { formatArtifacts } from '../../../src/offline/list.js'
import { UsageError } from '../../../src/engine/errors.js'
import { ManifestError } from '../../../src/offline/manifest-error.js'

// Spot checks copied from kubespray's checksum table (release-2.28, roles/kubespray_defaults/vars/main/checksums.yml).
const KUBESPRAY = {
  '1.30.14': { amd64: { kubeadm: 'bf1f8af81af8ecf003cbc03a8700c6e94a74c183ee092bbc77b92270ada2be70' } },
  '1.32.13': { arm64: { kubeadm: '53d7235bb72f25af3613b383600e89b5fd20a902a976a29218f9c4bd1ba08316', kubectl: 'b1f87f196633a89208546d79bfa4e2470bda70e7bf42c4d3adb008ec208da9d1' } },
}

const FILES = ['kubeadm', 'kubelet', 'kubectl', 'crictl', 'cni-plugins', 'containerd', 'runc', 'etcd', 'nerdctl']
const IMAGES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'pause', 'coredns', 'etcd',
  'calico-node', 'calico-cni', 'calico-kube-controllers']

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
  it('supports the latest patch of three minors on amd64 and arm64', () => {
    const releases = supportedReleases(loadManifest())
    expect(releases.map((r) => r.kubeVersion)).to.deep.equal(['1.32.13', '1.31.14', '1.30.14'])
    for (const r of releases) expect(r.arches).to.have.members(['amd64', 'arm64'])
  })

  for (const kubeVersion of ['1.30.14', '1.31.14', '1.32.13']) {
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
      })
    }
  }

  it('carries kubespray\'s checksums and per-minor component versions', () => {
    for (const [kv, arches] of Object.entries(KUBESPRAY)) {
      for (const [arch, sums] of Object.entries(arches)) {
        const a = artifactsFor({ kubeVersion: kv, arch })
        for (const [name, sum] of Object.entries(sums)) expect(a.files.find((f) => f.name === name)?.sha256).to.equal(sum)
      }
    }
    expect(artifactsFor({ kubeVersion: '1.30.14', arch: 'amd64' }).versions).to.include({ pause_version: '3.9', crictl_version: '1.30.1' })
    expect(artifactsFor({ kubeVersion: '1.32.13', arch: 'amd64' }).versions).to.include({ pause_version: '3.10', crictl_version: '1.32.0' })
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
      '      crictl_version: "1.32.0", nerdctl_version: "2.0.5", calico_version: "3.29.7", coredns_version: "1.11.3", pause_version: "3.10" }',
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
  })
})
