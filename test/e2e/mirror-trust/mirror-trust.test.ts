// A tampered mirror, for real: one sandbox node installs from a mirror on the bastion whose bytes the test
// changes behind its back, the way an attacker holding the mirror would: a file with bundle.json edited to
// match, a .deb with the repository indexes regenerated (unsigned, or signed with the attacker's key, which
// the mirror also serves), an image layer, and an image replaced under its tag. Each makes the node fail with
// one line naming the artifact, and nothing of it is installed. Then the mirror is restored and the node
// converges: packages through the bundle's key, images by their pinned digests.

import { expect } from 'chai'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import type { HostRecap, RunEvent } from '../../../src/engine/report/events.js'
import { bundlePaths, INDEX_FILE, SERVE_STATE_DIR, type BundleIndex } from '../../../src/offline/bundle-index.js'
import { writeFlatRepo } from '../../../src/offline/apt-packages.js'
import { mirrorPath } from '../../../src/offline/serve.js'
import { verifyBundle } from '../../../src/offline/verify.js'
import { busyboxLayer, writeOciArchive } from '../../../src/sandbox/oci-image.js'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxSsh } from '../../../src/sandbox/index.js'
import { teardownAirgap, writeAirgapInventory } from '../../harness/airgap-suite.js'
import { kubeseedAsync } from '../../harness/cli.js'
import { downloadCachePath, downloadedImageNames } from '../../harness/download-plan.js'

// Its own sandbox and subnet, so it runs beside other sandbox suites.
const NAME = 'mt'
const SUBNET = '10.231.23.0/24'
const PLAYBOOK = join(PACKAGE_ROOT, 'test', 'fixtures', 'playbooks', 'mirror-fetch.yaml')
/** A node package the base root lacks, so the node must fetch it from the mirror. */
const PACKAGE = 'socat'

interface PlayResult { code: number | null; events: RunEvent[]; recap: Record<string, HostRecap>; stderr: string; seconds: number }
type ResultEvent = Extract<RunEvent, { type: 'result' }>

describe('a tampered offline mirror is caught on the node (file, .deb, image)', function () {
  this.timeout(6 * 60_000)
  let work: string
  let env: AirgapSandbox | undefined
  let inventory: string
  let served: string
  let index: BundleIndex
  let node: string
  const timings: string[] = []
  const caught: Array<{ what: string; msg: string }> = []

  async function play(label: string): Promise<PlayResult> {
    const start = Date.now()
    const r = await kubeseedAsync(['play', PLAYBOOK, '-i', inventory, '--output', 'json', '--known-hosts', env!.sandbox.knownHosts])
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent)
    const recap = events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap')
    if (!recap) throw new Error(`no recap from kubeseed play (exit ${r.code}): ${r.stderr.slice(-2000)}`)
    const seconds = (Date.now() - start) / 1000
    timings.push(`${label}: ${seconds.toFixed(1)}s`)
    return { code: r.code, events, recap: recap.hosts, stderr: r.stderr, seconds }
  }
  const failures = (r: PlayResult) => r.events.filter((e): e is ResultEvent => e.type === 'result' && e.status === 'failed' && e.host === node)
  async function sh(command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  /** The node failed in `task`, on exactly one line that says `what`. */
  function expectCaught(r: PlayResult, task: string, ...what: string[]): ResultEvent {
    expect(r.code, r.stderr).not.to.equal(0)
    expect(r.recap[node]!.failed).to.equal(1)
    const failed = failures(r)
    expect(failed.map((f) => f.task), JSON.stringify(failed.map((f) => f.msg))).to.include(task)
    const f = failed.find((e) => e.task === task)!
    const msg = f.msg ?? ''
    expect(msg.split('\n'), msg).to.have.length(1)
    for (const w of what) expect(msg, msg).to.contain(w)
    return f
  }

  const debRepo = () => join(served, bundlePaths.debianRepo)
  const pristineDebRepo = () => join(work, 'pristine-debian')
  function restoreDebRepo(): void {
    rmSync(debRepo(), { recursive: true, force: true })
    cpSync(pristineDebRepo(), debRepo(), { recursive: true })
  }
  /** The package's .deb rebuilt with one more file: what a mirror holding back a trojan would serve. */
  function plantInDeb(): string {
    const deb = readdirSync(debRepo()).find((f) => f.startsWith(`${PACKAGE}_`) && f.endsWith('.deb'))!
    const tree = join(work, 'deb-tree')
    rmSync(tree, { recursive: true, force: true })
    execFileSync('dpkg-deb', ['-R', join(debRepo(), deb), tree])
    writeFileSync(join(tree, 'usr', 'share', 'doc', PACKAGE, 'planted'), 'planted by the mirror\n')
    execFileSync('dpkg-deb', ['-b', tree, join(debRepo(), deb)], { stdio: 'ignore' })
    return deb
  }
  async function packageAbsent(): Promise<void> {
    expect(await sh(`dpkg-query -W -f='\${Status}' ${PACKAGE} 2>/dev/null || true`)).not.to.contain('install ok installed')
    expect(await sh(`test -e /usr/share/doc/${PACKAGE}/planted && echo planted || true`)).to.equal('')
    // The node trusts the key from the inventory, never one the mirror serves.
    expect(await sh('cat /etc/apt/keyrings/kubeseed-mirror.asc')).to.equal(env!.mirror.groupVars.kubeseed_mirror_apt_key)
    expect(await sh('grep -rh "trusted=yes" /etc/apt || true')).to.equal('')
  }

  const registryRoot = () => join(served, SERVE_STATE_DIR, 'registry', 'docker', 'registry', 'v2')
  const blobPath = (digest: string) => join(registryRoot(), 'blobs', 'sha256', digest.slice(7, 9), digest.slice(7), 'data')
  const pause = () => index.images.find((i) => i.name === 'pause')!

  before(async function () {
    this.timeout(10 * 60_000)
    work = mkdtempSync('/var/tmp/kubeseed-mirror-trust-')
    const start = Date.now()
    env = await airgapSandbox({ name: NAME, nodes: 1, controlPlanes: 1, etcd: 1, subnet: SUBNET, httpPort: 0, serveCopyIn: join(work, 'bundle') })
    timings.push(`sandbox and mirror up: ${((Date.now() - start) / 1000).toFixed(1)}s`)
    served = env.served
    index = JSON.parse(readFileSync(join(served, INDEX_FILE), 'utf8')) as BundleIndex
    node = env.sandbox.state.nodes[0]!.name
    inventory = writeAirgapInventory(env, work)
    cpSync(debRepo(), pristineDebRepo(), { recursive: true })
  })

  after(async function () {
    this.timeout(2 * 60_000)
    process.stderr.write(`      mirror-trust timings: ${timings.join(', ')}\n`)
    process.stderr.write(`      tampered artifacts caught: ${caught.length}\n${caught.map((c) => `        ${c.what}: ${c.msg}\n`).join('')}`)
    await teardownAirgap(env, NAME, work)
  })

  it('a .deb changed, Packages and Release regenerated unsigned: apt refuses the repository, the package is not installed', async () => {
    plantInDeb()
    await writeFlatRepo(debRepo())
    for (const f of ['InRelease', 'Release.gpg']) rmSync(join(debRepo(), f))
    try {
      const r = await play('.deb, unsigned')
      const repo = env!.mirror.groupVars.debian_repo
      const f = expectCaught(r, 'Preinstall | OS packages from the offline manifest', 'E: The repository', 'is not signed', PACKAGE, `(from: ${repo})`)
      await packageAbsent()
      caught.push({ what: '.deb (unsigned indexes)', msg: f.msg ?? '' })
    } finally {
      restoreDebRepo()
    }
  })

  it('a .deb changed, the repository signed with another key that the mirror serves too: refused, the package is not installed', async () => {
    plantInDeb()
    const forged = await writeFlatRepo(debRepo())
    // A mirror offering its own key, where a careless node might pick it up.
    writeFileSync(join(debRepo(), 'kubeseed-mirror.asc'), forged.publicKey)
    writeFileSync(join(debRepo(), 'Release.key'), forged.publicKey)
    try {
      const r = await play('.deb, other key')
      const f = expectCaught(r, 'Preinstall | OS packages from the offline manifest', 'E: The repository', PACKAGE, env!.mirror.groupVars.debian_repo)
      expect(`${f.msg}\n${f.stderr ?? ''}`).to.contain(`NO_PUBKEY ${forged.fingerprint.slice(-16)}`)
      await packageAbsent()
      caught.push({ what: '.deb (signed with another key)', msg: f.msg ?? '' })
    } finally {
      restoreDebRepo()
    }
  })

  it('a file changed and bundle.json edited to match: the node checks the manifest\'s sha256 and keeps nothing of it', async () => {
    const runc = index.artifacts.files.find((f) => f.name === 'runc')!
    const rel = bundlePaths.file(runc.path)
    const target = join(served, rel)
    const original = readFileSync(target)
    const indexText = readFileSync(join(served, INDEX_FILE), 'utf8')
    const changed = Buffer.from(original)
    changed[Math.floor(changed.length / 2)] ^= 0x01
    writeFileSync(target, changed)
    const edited = JSON.parse(indexText) as BundleIndex
    edited.files[rel] = { sha256: createHash('sha256').update(changed).digest('hex'), size: changed.length }
    writeFileSync(join(served, INDEX_FILE), JSON.stringify(edited, null, 2))
    try {
      // The edited bundle.json vouches for the change, so the bundle "verifies": the node must not rely on it.
      expect((await verifyBundle({ dir: served, throwOnFailure: false })).ok).to.equal(true)
      const r = await play('file')
      const f = expectCaught(r, 'Download | Files, checked against the manifest\'s sha256', runc.sha256)
      expect(f.msg ?? '').to.match(/checksum/i)
      expect(f.item).to.equal('runc')
      const dest = downloadCachePath(env!.bundle, 'runc')
      expect(await sh(`ls -A /tmp/releases; test -e ${dest} && echo kept || true; test -e /usr/local/bin/runc && echo installed || true`))
        .not.to.match(/runc|kept|installed/)
      caught.push({ what: 'file', msg: f.msg ?? '' })
    } finally {
      writeFileSync(target, original)
      writeFileSync(join(served, INDEX_FILE), indexText)
    }
  })

  it('an image layer changed under its digest: the pull fails naming the image, no image is kept', async () => {
    // The sandbox's images share one busybox layer, so the first image the node pulls meets the change.
    const manifest = JSON.parse(readFileSync(blobPath(pause().manifestDigest), 'utf8')) as { layers: Array<{ digest: string }> }
    const layer = blobPath(manifest.layers[0]!.digest)
    const original = readFileSync(layer)
    const changed = Buffer.from(original)
    changed[Math.floor(changed.length / 2)] ^= 0x01
    writeFileSync(layer, changed)
    try {
      const r = await play('image layer')
      const f = expectCaught(r, 'Download | Pull images by their pinned digest')
      const img = index.images.find((i) => f.item === `${i.repo}:${i.tag}`)!
      expect(img, f.item).not.to.equal(undefined)
      expect(f.msg).to.contain(`image ${img.repo}:${img.tag} (pinned ${img.manifestDigest}) not pulled from the mirror http://${env!.mirror.registryAddress}`)
      expect(f.msg).to.contain(manifest.layers[0]!.digest)
      expect((await sh('/usr/local/bin/ctr -n k8s.io images ls -q')).trim()).to.equal('')
      caught.push({ what: 'image layer', msg: f.msg ?? '' })
    } finally {
      writeFileSync(layer, original)
    }
  })

  it('an image replaced under its tag, the pinned digest gone from the registry: the node fails naming it, never pulls the tag', async () => {
    const p = pause()
    const path = mirrorPath(p.repo).path
    const revision = join(registryRoot(), 'repositories', path, '_manifests', 'revisions', 'sha256', p.manifestDigest.slice(7))
    const evil = join(work, 'evil.oci.tar')
    await writeOciArchive({ repo: p.repo, tag: p.tag, arch: index.arch, labels: { planted: 'by the mirror' } },
      await busyboxLayer('/bin/busybox'), evil)
    const skopeo = (src: string) => execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', src,
      `docker://${env!.mirror.registryAddress}/${path}:${p.tag}`], { stdio: 'ignore' })
    skopeo(`oci-archive:${evil}`)
    const evilDigest = `sha256:${createHash('sha256').update(execFileSync('skopeo', ['inspect', '--raw', `oci-archive:${evil}`])).digest('hex')}`
    expect(evilDigest).not.to.equal(p.manifestDigest)
    const link = readFileSync(join(revision, 'link'))
    rmSync(revision, { recursive: true })
    try {
      const r = await play('image under its tag')
      const f = failures(r).find((e) => e.item === `${p.repo}:${p.tag}`)
      expect(f, JSON.stringify(failures(r).map((e) => `${e.task} ${e.item}: ${e.msg}`))).not.to.equal(undefined)
      expect(f!.task).to.equal('Download | Pull images by their pinned digest')
      expect(f!.msg).to.contain(`image ${p.repo}:${p.tag} (pinned ${p.manifestDigest}) not pulled from the mirror http://${env!.mirror.registryAddress}`)
      expect(f!.msg).to.match(/StatusNotFound|not found|failed to resolve reference/)
      expect(r.recap[node]!.failed).to.equal(1)
      const listed = (await sh('/usr/local/bin/ctr -n k8s.io images ls')).split('\n').filter((l) => l.startsWith(p.repo))
      expect(listed).to.deep.equal([])
      expect(await sh('/usr/local/bin/ctr -n k8s.io content ls -q')).not.to.contain(evilDigest)
      caught.push({ what: 'image under its tag', msg: f!.msg ?? '' })
    } finally {
      mkdirSync(revision, { recursive: true })
      writeFileSync(join(revision, 'link'), link)
      skopeo(`oci-archive:${join(served, p.archive)}`)
    }
  })

  it('the mirror restored: the node converges, apt through the bundle key only, every image at its pinned digest; a second run changes nothing', async () => {
    const r = await play('restored')
    expect(r.code, JSON.stringify(failures(r).map((e) => `${e.task}: ${e.msg}`))).to.equal(0)
    expect(await sh(`dpkg-query -W -f='\${Status}' ${PACKAGE}`)).to.equal('install ok installed')
    const sources = await sh('grep -rh "^deb" /etc/apt/sources.list /etc/apt/sources.list.d 2>/dev/null || true')
    expect(sources.trim()).to.equal(`deb [signed-by=/etc/apt/keyrings/kubeseed-mirror.asc] ${env!.mirror.groupVars.debian_repo} ./`)
    const listed = new Set((await sh('/usr/local/bin/ctr -n k8s.io images ls')).split('\n').slice(1).map((l) => l.split(/\s+/)).map((f) => `${f[0]} ${f[2]}`))
    // The images the download role's conditions give this node (not every image of the bundle: typha, flannel, ...).
    const groups = env!.sandbox.state.controlPlanes.includes(node) ? ['k8s_cluster', 'kube_control_plane'] : ['k8s_cluster', 'kube_node']
    const names = downloadedImageNames(index.images, groups)
    expect(names.length).to.be.greaterThan(3)
    for (const i of index.images.filter((img) => names.includes(img.name))) expect(listed, i.name).to.include(`${i.repo}:${i.tag} ${i.manifestDigest}`)
    expect(existsSync(join(served, bundlePaths.debianRepo, 'InRelease'))).to.equal(true)

    const again = await play('second run')
    expect(again.code).to.equal(0)
    const changed = again.events.filter((e): e is ResultEvent => e.type === 'result' && e.status === 'changed').map((e) => e.task)
    expect(again.recap[node]!.changed, changed.join(', ')).to.equal(0)
    expect(caught).to.have.length(5)
  })
})
