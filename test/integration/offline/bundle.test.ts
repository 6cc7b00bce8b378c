// Building, verifying and serving a bundle with real parts: files on disk, a loopback HTTP server,
// apt-get against the served repository, docker-registry and skopeo.

import { expect } from 'chai'
import { mkdtemp, mkdir, writeFile, readFile, rm, readdir, access, appendFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { randomBytes, createHash } from 'node:crypto'
import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { join, basename } from 'node:path'
import { tmpdir } from 'node:os'
import { PassThrough } from 'node:stream'
import { artifactsFor, type Artifacts } from '../../../src/offline/manifest.js'
import { buildBundle } from '../../../src/offline/build.js'
import { verifyBundle } from '../../../src/offline/verify.js'
import { serveBundle } from '../../../src/offline/serve.js'
import { startFileServer, type FileServer } from '../../../src/offline/file-server.js'
import { busyboxLayer, writeOciArchive } from '../../../src/sandbox/oci-image.js'
import { bundlePaths } from '../../../src/offline/bundle-index.js'
import { writeFlatRepo } from '../../../src/offline/apt-packages.js'
import { checkReleaseSignature } from '../../../src/offline/apt-signing.js'
import { load } from 'js-yaml'
import { CLI } from '../../harness/cli.js'

const run = promisify(execFile)
const KUBE = '1.99.0'
const FILE_NAMES = ['kubeadm', 'kubelet', 'kubectl', 'crictl', 'cni-plugins', 'containerd', 'runc', 'etcd', 'nerdctl', 'calicoctl']

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (b: Buffer) => chunks.push(b))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

async function freePort(): Promise<number> {
  return await new Promise((resolvePort) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolvePort(port))
    })
  })
}

async function exists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false)
}

describe('offline bundle (integration)', function () {
  this.timeout(180000)
  let work: string
  let manifestFile: string
  let upstream: string
  let imagesOnly: string
  let artifacts: Artifacts
  const contents = new Map<string, Buffer>()

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'kubeseed-bundle-test-'))
    for (const name of FILE_NAMES) contents.set(name, randomBytes(2048 + name.length))
    const sums = FILE_NAMES.map((n) => `        ${n}: ${createHash('sha256').update(contents.get(n) as Buffer).digest('hex')}`)
    manifestFile = join(work, 'test-release.yaml')
    await writeFile(manifestFile, [
      'releases:',
      `  - kube_version: ${KUBE}`,
      '    versions: { etcd_version: "3.5.0", containerd_version: "2.0.0", runc_version: "1.2.0", cni_version: "1.4.0",',
      '      crictl_version: "1.99.0", nerdctl_version: "2.0.0", calico_version: "3.29.0", calico_ctl_version: "3.29.0",',
      '      flannel_version: "0.22.0", flannel_cni_version: "1.1.2", coredns_version: "1.11.3", nodelocaldns_version: "1.25.0", pause_version: "3.10" }',
      '    packages: { debian: [socat] }',
      '    sha256:',
      '      amd64:',
      ...sums,
      '',
    ].join('\n'))
    artifacts = artifactsFor({ kubeVersion: KUBE, arch: 'amd64', manifestFiles: [manifestFile] })
    upstream = join(work, 'upstream')
    for (const f of artifacts.files) {
      await mkdir(join(upstream, f.path, '..'), { recursive: true })
      await writeFile(join(upstream, f.path), contents.get(f.name) as Buffer)
    }
    imagesOnly = join(work, 'images-only')
    const layer = await busyboxLayer()
    for (const img of artifacts.images) await writeOciArchive({ ...img, arch: 'amd64' }, layer, join(imagesOnly, bundlePaths.image(img)))
  })

  after(async () => {
    await rm(work, { recursive: true, force: true })
  })

  it('builds from a local directory holding files under upstream names, and verifies', async () => {
    const from = join(work, 'from-local')
    await mkdir(join(from, 'images'), { recursive: true })
    await run('cp', ['-a', join(imagesOnly, 'images'), from])
    for (const f of artifacts.files) await writeFile(join(from, basename(f.path)), contents.get(f.name) as Buffer)
    const out = join(work, 'bundle-local')
    const progress = collect()
    const index = await buildBundle({ out, kubeVersion: KUBE, arch: 'amd64', from, manifestFiles: [manifestFile], progress: progress.stream })
    for (const f of artifacts.files) {
      expect(await readFile(join(out, 'files', f.path))).to.deep.equal(contents.get(f.name))
      expect(index.files[`files/${f.path}`]?.sha256).to.equal(f.sha256)
    }
    expect(progress.text()).to.include(`copied from ${join(from, 'kubeadm')}`)
    const debs = (await readdir(join(out, 'debian'))).filter((f) => f.endsWith('.deb'))
    // The node packages and every package set (the API load balancer's nginx with its stream module, haproxy).
    for (const p of ['socat', 'nginx', 'libnginx-mod-stream', 'haproxy']) expect(debs.some((f) => f.startsWith(`${p}_`)), p).to.equal(true)
    const packages = await readFile(join(out, 'debian', 'Packages'), 'utf8')
    for (const p of ['socat', 'nginx', 'libnginx-mod-stream', 'haproxy']) expect(packages).to.match(new RegExp(`^Package: ${p}$`, 'm'))
    for (const name of ['Packages', 'Packages.gz', 'Release']) expect(index.files[`debian/${name}`]).to.not.equal(undefined)
    expect(Object.keys(index.files).filter((f) => f.startsWith('images/'))).to.have.length(artifacts.images.length)
    const report = await verifyBundle({ dir: out })
    expect(report.ok).to.equal(true)
    expect(report.checked).to.equal(Object.keys(index.files).length)
  })

  describe('online through a loopback HTTP server', () => {
    let server: FileServer
    let bad: FileServer
    const out = () => join(work, 'bundle-online')

    before(async () => {
      server = await startFileServer({ files: upstream }, '127.0.0.1', 0)
      const corrupt = join(work, 'corrupt')
      await run('cp', ['-a', upstream, corrupt])
      const kubelet = artifacts.files.find((f) => f.name === 'kubelet')!
      await appendFile(join(corrupt, kubelet.path), 'x')
      bad = await startFileServer({ files: corrupt }, '127.0.0.1', 0)
    })
    after(async () => {
      await server.close()
      await bad.close()
    })

    it('downloads every file and checks it', async () => {
      const progress = collect()
      await buildBundle({ out: out(), kubeVersion: KUBE, arch: 'amd64', from: imagesOnly, manifestFiles: [manifestFile],
        filesRepo: `http://127.0.0.1:${server.port}/files`, progress: progress.stream })
      for (const f of artifacts.files) {
        expect(await readFile(join(out(), 'files', f.path))).to.deep.equal(contents.get(f.name))
        expect(progress.text()).to.include(`downloaded http://127.0.0.1:${server.port}/files/${f.path}`)
      }
      expect((await verifyBundle({ dir: out() })).ok).to.equal(true)
    })

    it('resumes: keeps files whose sha256 matches, replaces a stale .part and a wrong file', async () => {
      const kubeadm = artifacts.files.find((f) => f.name === 'kubeadm')!
      const runc = artifacts.files.find((f) => f.name === 'runc')!
      await rm(join(out(), 'files', kubeadm.path))
      await writeFile(join(out(), 'files', `${kubeadm.path}.part`), 'half a download')
      await writeFile(join(out(), 'files', runc.path), 'not runc')
      const progress = collect()
      await buildBundle({ out: out(), kubeVersion: KUBE, arch: 'amd64', from: imagesOnly, manifestFiles: [manifestFile],
        filesRepo: `http://127.0.0.1:${server.port}/files`, progress: progress.stream })
      const text = progress.text()
      expect(text).to.match(/\] kubeadm 1\.99\.0: downloaded /)
      expect(text).to.match(/\] runc 1\.2\.0: downloaded /)
      expect(text).to.match(/\] kubelet 1\.99\.0: already present/)
      expect(text.match(/already present/g)?.length).to.equal(FILE_NAMES.length - 2 + artifacts.images.length)
      expect(await exists(join(out(), 'files', `${kubeadm.path}.part`))).to.equal(false)
      expect((await verifyBundle({ dir: out() })).ok).to.equal(true)
    })

    it('never keeps a file whose checksum failed', async () => {
      const dest = join(work, 'bundle-bad')
      const kubelet = artifacts.files.find((f) => f.name === 'kubelet')!
      let err: Error | undefined
      try {
        await buildBundle({ out: dest, kubeVersion: KUBE, arch: 'amd64', from: imagesOnly, manifestFiles: [manifestFile],
          filesRepo: `http://127.0.0.1:${bad.port}/files` })
      } catch (e) {
        err = e as Error
      }
      expect(err?.message).to.include('checksum mismatch').and.include(kubelet.path)
      expect(await exists(join(dest, 'files', kubelet.path))).to.equal(false)
      expect(await exists(join(dest, 'files', `${kubelet.path}.part`))).to.equal(false)
      expect(await exists(join(dest, 'bundle.json'))).to.equal(false)
    })

    it('verify names a file with one flipped byte, a missing file and an extra file', async () => {
      const dir = join(work, 'bundle-verify')
      await run('cp', ['-a', out(), dir])
      const etcd = artifacts.files.find((f) => f.name === 'etcd')!
      const path = join(dir, 'files', etcd.path)
      const data = await readFile(path)
      data[100] = (data[100] as number) ^ 1
      await writeFile(path, data)
      let err: Error | undefined
      try {
        await verifyBundle({ dir })
      } catch (e) {
        err = e as Error
      }
      expect(err?.message).to.include(`changed: files/${etcd.path}`)
      const crictl = artifacts.files.find((f) => f.name === 'crictl')!
      await rm(join(dir, 'files', crictl.path))
      await writeFile(join(dir, 'files', 'stray.bin'), 'x')
      const report = await verifyBundle({ dir, throwOnFailure: false })
      expect(report).to.include({ ok: false })
      expect(report.changed).to.deep.equal([`files/${etcd.path}`])
      expect(report.missing).to.deep.equal([`files/${crictl.path}`])
      expect(report.extra).to.deep.equal(['files/stray.bin'])
    })

    it('serves files, an apt repository and a registry on 127.0.0.1; stop leaves no process', async () => {
      const registryPort = await freePort()
      const handle = await serveBundle({ dir: out(), listen: '127.0.0.1', port: 0, registryPort })
      let pid: number | undefined
      try {
        const kubeadm = artifacts.files.find((f) => f.name === 'kubeadm')!
        const res = await fetch(`${handle.groupVars.files_repo}/${kubeadm.path}`)
        expect(res.status).to.equal(200)
        expect(Buffer.from(await res.arrayBuffer())).to.deep.equal(contents.get('kubeadm'))
        expect((await fetch(`${handle.groupVars.files_repo}/../bundle.json`)).status).to.equal(404)

        const apt = join(work, 'apt')
        await mkdir(join(apt, 'lists', 'partial'), { recursive: true })
        await mkdir(join(apt, 'archives', 'partial'), { recursive: true })
        // apt trusts the repository through the key `offline serve` handed over, and nothing else.
        await writeFile(join(apt, 'mirror.asc'), handle.groupVars.kubeseed_mirror_apt_key)
        await writeFile(join(apt, 'sources.list'), `deb [signed-by=${join(apt, 'mirror.asc')}] ${handle.groupVars.debian_repo} ./\n`)
        const aptOpts = ['-o', `Dir::Etc::sourcelist=${join(apt, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
          '-o', `Dir::State::Lists=${join(apt, 'lists')}`, '-o', `Dir::Cache=${apt}`, '-o', 'Debug::NoLocking=1',
          '-o', 'APT::Get::List-Cleanup=0', '-o', 'APT::Sandbox::User=root', '-o', 'Dir::Etc::trusted=/dev/null', '-o', 'Dir::Etc::trustedparts=/nonexistent']
        const update = await run('apt-get', [...aptOpts, 'update'])
        expect(update.stderr).not.to.match(/^[EW]:/m)
        expect(handle.groupVars.kubeseed_mirror_apt_key_fingerprint).to.match(/^[0-9A-F]{40}$/)
        const policy = await run('apt-cache', [...aptOpts, 'policy', 'socat'])
        expect(policy.stdout).to.include(handle.groupVars.debian_repo)
        await run('apt-get', [...aptOpts, 'download', 'socat', 'haproxy', 'libnginx-mod-stream'], { cwd: apt })
        for (const p of ['socat', 'haproxy', 'libnginx-mod-stream']) {
          expect((await readdir(apt)).some((f) => f.startsWith(`${p}_`) && f.endsWith('.deb')), p).to.equal(true)
        }

        expect(handle.registryAddress).to.equal(`127.0.0.1:${registryPort}`)
        const inspect = await run('skopeo', ['inspect', '--tls-verify=false', `docker://127.0.0.1:${registryPort}/kube-apiserver:v${KUBE}`])
        expect(JSON.parse(inspect.stdout).Labels['org.opencontainers.image.title']).to.equal(`registry.k8s.io/kube-apiserver:v${KUBE}`)
        const calico = await run('skopeo', ['inspect', '--tls-verify=false', `docker://127.0.0.1:${registryPort}/calico/node:v3.29.0`])
        expect(JSON.parse(calico.stdout).Architecture).to.equal('amd64')
        const flannel = await run('skopeo', ['inspect', '--tls-verify=false', `docker://127.0.0.1:${registryPort}/flannel/flannel-cni-plugin:v1.1.2`])
        expect(JSON.parse(flannel.stdout).Labels['org.opencontainers.image.title']).to.equal('docker.io/flannel/flannel-cni-plugin:v1.1.2')
        // Every image is served under the digest the build recorded, which is what nodes pull.
        const digests = handle.groupVars.kubeseed_image_digests
        expect(Object.keys(digests)).to.have.length(artifacts.images.length)
        const pinned = digests[`registry.k8s.io/kube-apiserver:v${KUBE}`]!
        const byDigest = await run('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://127.0.0.1:${registryPort}/kube-apiserver@${pinned}`])
        expect(`sha256:${createHash('sha256').update(byDigest.stdout).digest('hex')}`).to.equal(pinned)
        expect(handle.groupVars.containerd_registries_mirrors.map((m) => m.prefix)).to.deep.equal(['docker.io', 'quay.io', 'registry.k8s.io'])
        expect(handle.yaml).to.include(`registry_host: 127.0.0.1:${registryPort}`)

        pid = handle.registryPid
        expect(() => process.kill(handle.registryPid, 0)).to.not.throw()
      } finally {
        await handle.stop()
      }
      expect(pid).to.be.a('number')
      expect(() => process.kill(pid as number, 0)).to.throw()
      expect((await verifyBundle({ dir: out() })).ok).to.equal(true)
    })

    it('`offline serve` writes the variables as YAML to --vars-file, progress to stderr, nothing on stdout', async () => {
      const varsFile = join(work, 'offline-vars.yml')
      const registryPort = await freePort()
      const child = spawn(process.execPath, [CLI, 'offline', 'serve', out(), '--listen', '127.0.0.1', '--port', '0',
        '--registry-port', String(registryPort), '--vars-file', varsFile], { stdio: ['ignore', 'pipe', 'pipe'] })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
      child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
      const exited = new Promise<number | null>((res) => child.once('close', res))
      try {
        for (let i = 0; i < 600 && !stderr.includes('Serving;'); i++) await new Promise((r) => setTimeout(r, 100))
        expect(stderr).to.include(`mirror variables written to ${varsFile}`).and.include('pushed registry.k8s.io/kube-apiserver')
        const vars = load(await readFile(varsFile, 'utf8')) as Record<string, unknown>
        expect(vars.registry_host).to.equal(`127.0.0.1:${registryPort}`)
        expect(String(vars.files_repo)).to.match(/^http:\/\/127\.0\.0\.1:\d+\/files$/)
        const res = await fetch(`${String(vars.files_repo)}/${artifacts.files[0]!.path}`)
        expect(res.status).to.equal(200)
      } finally {
        child.kill('SIGTERM')
      }
      expect(await exited).to.equal(0)
      expect(stdout).to.equal('')
    })

    it('a repository re-signed with another key: serve refuses it, and apt with the bundle key refuses it too', async () => {
      const index = JSON.parse(await readFile(join(out(), 'bundle.json'), 'utf8')) as { aptKey: { fingerprint: string; publicKey: string } }
      const forged = join(work, 'forged-debian')
      await run('cp', ['-a', join(out(), bundlePaths.debianRepo), forged])
      const other = await writeFlatRepo(forged)
      expect(other.fingerprint).not.to.equal(index.aptKey.fingerprint)
      let refused: Error | undefined
      await checkReleaseSignature(forged, index.aptKey).catch((e: Error) => { refused = e })
      expect(refused?.message).to.contain(`is not signed by the bundle's key ${index.aptKey.fingerprint}`)
      await checkReleaseSignature(join(out(), bundlePaths.debianRepo), index.aptKey)

      const server = await startFileServer({ debian: forged }, '127.0.0.1', 0)
      try {
        const apt = join(work, 'apt-forged')
        await mkdir(join(apt, 'lists', 'partial'), { recursive: true })
        await writeFile(join(apt, 'mirror.asc'), index.aptKey.publicKey)
        await writeFile(join(apt, 'sources.list'), `deb [signed-by=${join(apt, 'mirror.asc')}] http://127.0.0.1:${server.port}/debian ./\n`)
        const r = await new Promise<{ code: number | null; stderr: string }>((res) => {
          execFile('apt-get', ['-o', `Dir::Etc::sourcelist=${join(apt, 'sources.list')}`, '-o', 'Dir::Etc::sourceparts=-',
            '-o', `Dir::State::Lists=${join(apt, 'lists')}`, '-o', 'Debug::NoLocking=1', '-o', 'APT::Sandbox::User=root', 'update'],
          (err, _o, stderr) => res({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }))
        })
        expect(r.code).not.to.equal(0)
        expect(r.stderr).to.match(/^E: The repository 'http:\/\/127\.0\.0\.1:\d+\/debian \.\/ (In)?Release' is not signed\./m)
        expect(r.stderr).to.contain(`NO_PUBKEY ${other.fingerprint.slice(-16)}`)
      } finally {
        await server.close()
      }
    })
  })
})
