// The sandbox bundle, made for real from Debian packages (cached under /var/cache/kubeseed between runs).

import { expect } from 'chai'
import { mkdtemp, writeFile, rm, readdir } from 'node:fs/promises'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { buildSandboxBundle, upstreamVersion, type SandboxBundle } from '../../../src/sandbox/bundle.js'
import { artifactsFor } from '../../../src/offline/manifest.js'
import { sha256File } from '../../../src/offline/checksum.js'
import { verifyBundle } from '../../../src/offline/verify.js'

const run = promisify(execFile)

describe('sandbox bundle (integration)', function () {
  this.timeout(600000)
  let work: string
  let bundle: SandboxBundle
  const kubeVersion = '1.32.13'

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kubeseed-sandbox-bundle-'))
    const kubeadm = join(work, 'kubeadm')
    await writeFile(kubeadm, '#!/bin/sh\necho "sandbox kubeadm (emulated)"\n', { mode: 0o755 })
    bundle = await buildSandboxBundle({ kubeVersion, extraFiles: [{ name: 'kubeadm', path: kubeadm }] })
  })
  after(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('takes upstream versions from Debian versions', () => {
    expect(upstreamVersion('1.6.20~ds1-1+deb12u3')).to.equal('1.6.20')
    expect(upstreamVersion('1:1.35.0-4+deb12u1+b1')).to.equal('1.35.0')
    expect(upstreamVersion('3.4.23-4+b4')).to.equal('3.4.23')
    expect(upstreamVersion('1.1.1+ds1-3+b5')).to.equal('1.1.1')
  })

  it('describes itself with a manifest whose checksums match the files', async () => {
    const a = artifactsFor({ kubeVersion, arch: bundle.arch, manifestFiles: [bundle.manifestFile] })
    expect(a.files.map((f) => f.name)).to.have.members(['kubeadm', 'containerd', 'runc', 'etcd', 'cni-plugins'])
    for (const f of a.files) expect(await sha256File(join(bundle.dir, 'files', f.path))).to.equal(f.sha256)
    const etcd = a.files.find((f) => f.name === 'etcd')!
    expect(etcd.path).to.equal(`github.com/etcd-io/etcd/releases/download/v${etcd.version}/etcd-v${etcd.version}-linux-${bundle.arch}.tar.gz`)
    expect(a.images.find((i) => i.name === 'etcd')?.tag).to.equal(`v${etcd.version}`)
    expect((await verifyBundle({ dir: bundle.dir })).ok).to.equal(true)
  })

  it('repackages Debian binaries in upstream release layouts that run', async () => {
    const a = artifactsFor({ kubeVersion, arch: bundle.arch, manifestFiles: [bundle.manifestFile] })
    const path = (name: string) => join(bundle.dir, 'files', a.files.find((f) => f.name === name)!.path)
    const list = async (name: string) => (await run('tar', ['-tzf', path(name)])).stdout.split('\n')
    expect(await list('containerd')).to.include.members(['bin/containerd', 'bin/containerd-shim-runc-v2', 'bin/ctr'])
    const etcdVersion = a.files.find((f) => f.name === 'etcd')!.version
    expect(await list('etcd')).to.include.members([`etcd-v${etcdVersion}-linux-${bundle.arch}/etcd`, `etcd-v${etcdVersion}-linux-${bundle.arch}/etcdctl`])
    expect(await list('cni-plugins')).to.include.members(['./bridge', './host-local', './loopback', './portmap'])
    const runc = await run(path('runc'), ['--version'])
    expect(runc.stdout).to.include(`runc version ${a.files.find((f) => f.name === 'runc')!.version}`)
    const x = join(work, 'x')
    await run('mkdir', ['-p', x])
    await run('tar', ['-xzf', path('etcd'), '-C', x])
    const etcd = await run(join(x, `etcd-v${etcdVersion}-linux-${bundle.arch}`, 'etcd'), ['--version'])
    expect(etcd.stdout).to.include(`etcd Version: ${etcdVersion}`)
    expect((await run(path('kubeadm'), [])).stdout).to.include('emulated')
  })

  it('holds OCI images under upstream names and the OS packages with their dependencies', async () => {
    const api = bundle.index.images.find((i) => i.name === 'kube-apiserver')!
    expect(`${api.repo}:${api.tag}`).to.equal(`registry.k8s.io/kube-apiserver:v${kubeVersion}`)
    const inspect = await run('skopeo', ['inspect', `oci-archive:${join(bundle.dir, api.archive)}`])
    expect(JSON.parse(inspect.stdout).Labels).to.include({ 'io.kubeseed.sandbox': 'true' })
    expect(bundle.index.images).to.have.length(artifactsFor({ kubeVersion, arch: bundle.arch }).images.length)
    const debs = await readdir(join(bundle.dir, 'debian'))
    for (const p of ['conntrack', 'socat', 'ipset', 'ipvsadm', 'ebtables', 'ethtool', 'libipset13', 'libnetfilter-conntrack3']) {
      expect(debs.some((f) => f.startsWith(`${p}_`)), p).to.equal(true)
    }
    // Already in the node's root (minbase + systemd + openssh-server): not shipped again.
    for (const p of ['libc6', 'systemd', 'openssh-server']) expect(debs.some((f) => f.startsWith(`${p}_`)), p).to.equal(false)
  })

  it('is cached: the same inputs give the same bundle without rebuilding', async () => {
    const kubeadm = join(work, 'kubeadm')
    const started = Date.now()
    const again = await buildSandboxBundle({ kubeVersion, extraFiles: [{ name: 'kubeadm', path: kubeadm }] })
    expect(again.cached).to.equal(true)
    expect(again.dir).to.equal(bundle.dir)
    expect(Date.now() - started).to.be.below(15000)
    await writeFile(kubeadm, '#!/bin/sh\necho changed\n', { mode: 0o755 })
    const key = (d: string) => d.split('-').pop()
    const changed = await buildSandboxBundle({ kubeVersion, extraFiles: [{ name: 'kubeadm', path: kubeadm }], cacheDir: join(work, 'cache') })
    expect(key(changed.dir)).to.not.equal(key(bundle.dir))
  })
})
