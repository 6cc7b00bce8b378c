// `kubeseed offline list` as a user runs it: every Kubernetes minor of the manifest, text and JSON, both
// architectures, from an inventory, and a version the manifest lacks.

import { expect } from 'chai'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { loadManifest, supportedReleases, type Artifacts } from '../../../src/offline/manifest.js'
import { kubeseed } from '../../harness/cli.js'

const NETWORK_AND_APP_IMAGES = ['calico-node', 'calico-cni', 'calico-kube-controllers', 'calico-typha', 'calico-apiserver',
  'flannel', 'flannel-cni-plugin', 'nodelocaldns', 'coredns']

describe('kubeseed offline list', function () {
  this.timeout(120_000)
  const releases = supportedReleases(loadManifest())

  it('the manifest has releases to list', () => {
    expect(releases.map((r) => r.kubeVersion)).to.include.members(['1.30.14', '1.34.11', '1.36.4'])
  })

  for (const { kubeVersion } of supportedReleases(loadManifest())) {
    const minor = kubeVersion.split('.').slice(0, 2).join('.')

    it(`--kube-version ${minor} lists ${kubeVersion}: files with sha256, every image, the OS packages`, () => {
      const r = kubeseed(['offline', 'list', '--kube-version', minor])
      expect(r.code, r.stderr).to.equal(0)
      expect(r.stdout.split('\n')[0]).to.equal(`Kubernetes ${kubeVersion} (amd64)`)
      expect(r.stdout).to.include(`dl.k8s.io/release/v${kubeVersion}/bin/linux/amd64/kubeadm`)
      expect(r.stdout.match(/^ +sha256:[0-9a-f]{64}$/gm)).to.have.length(10)
      expect(r.stdout).to.include('calicoctl-linux-amd64').and.include('docker.io/flannel/flannel:v')
      expect(r.stdout).to.include('registry.k8s.io/dns/k8s-dns-node-cache:').and.include('quay.io/calico/node:v')
      expect(r.stdout).to.match(/^ {2}nginx debian: nginx libnginx-mod-stream$/m).and.match(/^ {2}haproxy debian: haproxy$/m)
    })

    it(`--format json --arch arm64 for ${kubeVersion} resolves every file and the network plugins' and apps' images`, () => {
      const r = kubeseed(['offline', 'list', '--kube-version', `v${kubeVersion}`, '--arch', 'arm64', '--format', 'json'])
      expect(r.code, r.stderr).to.equal(0)
      const a = JSON.parse(r.stdout) as Artifacts
      expect(a).to.include({ kubeVersion, arch: 'arm64' })
      for (const f of a.files) {
        expect(f.sha256, f.name).to.match(/^[0-9a-f]{64}$/)
        expect(f.url, f.name).to.include('arm64')
      }
      expect(a.images.map((i) => i.name)).to.include.members(NETWORK_AND_APP_IMAGES)
      for (const i of a.images) expect(i.tag, i.name).to.not.include('{{')
      expect(Object.keys(a.packageSets)).to.deep.equal(['nginx', 'haproxy'])
    })
  }

  it('-i takes kube_version from the inventory (the sample inventory: the newest release)', () => {
    const r = kubeseed(['offline', 'list', '-i', join(PACKAGE_ROOT, 'inventory', 'sample')])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.split('\n')[0]).to.equal(`Kubernetes ${releases[0]!.kubeVersion} (amd64)`)
  })

  it('a minor the manifest lacks fails with one line naming it and the supported versions', () => {
    const r = kubeseed(['offline', 'list', '--kube-version', '1.33'])
    expect(r.code).to.not.equal(0)
    expect(r.stdout).to.equal('')
    const lines = r.stderr.trim().split('\n')
    expect(lines).to.have.length(1)
    expect(lines[0]).to.include('"1.33" is not in the offline manifest').and.include('1.36.4 (amd64, arm64)').and.include('1.30.14')
  })
})
