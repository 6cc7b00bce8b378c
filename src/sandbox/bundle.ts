// The sandbox's offline bundle. Sandbox nodes cannot reach upstream, and upstream binaries are not available
// here, so the bundle is made from Debian packages, repackaged in the upstream release layouts at kubespray's
// files_repo paths, with images built without a daemon, and described by a generated manifest (same schema
// as offline/*.yaml; versions are the upstream part of the Debian versions; sha256 computed here).
// Cached under the sandbox cache (/var/cache/kubeseed, or $KUBESEED_CACHE): rebuilt only when an input changes.

import { mkdir, mkdtemp, readdir, rm, rename, writeFile, copyFile, chmod, access, readFile } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { dump } from 'js-yaml'
import { artifactsFor, defaultManifestDir, type Artifacts } from '../offline/manifest.js'
import { buildBundle } from '../offline/build.js'
import { bundlePaths, readBundleIndex, writeBundleIndex, type BundleImage, type BundleIndex } from '../offline/bundle-index.js'
import { sha256File } from '../offline/checksum.js'
import { runCommand } from '../offline/run-command.js'
import { busyboxLayer, writeOciArchive } from './oci-image.js'
import { UsageError } from '../engine/errors.js'
import { CACHE_DIR } from './rootfs.js'

export interface SandboxExtraFile {
  /** A file name of the manifest layout (kubeadm, kubelet, kubectl, crictl, nerdctl, ...). */
  name: string
  /** The file to publish as-is at that name's files_repo path. */
  path: string
  /** Version for files not versioned by kube_version (crictl_version, nerdctl_version). */
  version?: string
}

export interface SandboxRelease {
  /** A kube_version; must be (a patch of) a release in offline/. */
  kubeVersion: string
  extraFiles?: SandboxExtraFile[]
}

export interface SandboxBundleOptions extends SandboxRelease {
  /**
   * More releases the bundle carries beside kubeVersion (an upgrade's target). Every file sits at its versioned
   * files_repo path and every image under its own tag, so both sets coexist on the mirror.
   */
  moreReleases?: SandboxRelease[]
  cacheDir?: string
  progress?: Writable
}

export interface SandboxBundle {
  /** The bundle directory (serve it with serveBundle). */
  dir: string
  /** The generated manifest: pass it as manifestFiles to artifactsFor. */
  manifestFile: string
  kubeVersion: string
  /** Every kube_version the bundle carries, kubeVersion first. */
  kubeVersions: string[]
  arch: string
  index: BundleIndex
  cached: boolean
}

export const SANDBOX_CACHE_DIR = join(CACHE_DIR, 'sandbox-bundle')
const MANIFEST_NAME = 'sandbox-manifest.yaml'
/** Bumped when the way the bundle is made changes, so old caches are not reused. */
const RECIPE = 2

/** Debian packages repackaged into upstream-style release files, and the busybox for the images. */
const SOURCES = ['containerd', 'runc', 'etcd-server', 'etcd-client', 'containernetworking-plugins', 'busybox-static']

/** "1:1.6.20~ds1-1+deb12u3" -> "1.6.20": the upstream version, without epoch, Debian revision or repack suffix. */
export function upstreamVersion(debianVersion: string): string {
  const noEpoch = debianVersion.replace(/^\d+:/, '')
  const noRevision = noEpoch.includes('-') ? noEpoch.slice(0, noEpoch.lastIndexOf('-')) : noEpoch
  return noRevision.replace(/[~+].*$/, '')
}

/** A release's manifest entry in the making: its versions and the files it lists. */
interface PlannedRelease {
  kubeVersion: string
  upstream: Artifacts
  versions: Record<string, string>
  fileNames: string[]
  extras: Array<SandboxExtraFile & { sha256: string }>
}

export async function buildSandboxBundle(opts: SandboxBundleOptions): Promise<SandboxBundle> {
  const say = (line: string) => opts.progress?.write(`${line}\n`)
  const arch = (await runCommand('dpkg', ['--print-architecture'])).stdout.trim()
  const wanted = [opts, ...(opts.moreReleases ?? [])]
  const kubeVersions = checkedKubeVersions(wanted, arch)
  const kubeVersion = kubeVersions[0] as string
  const candidates = await candidateVersions(SOURCES)
  const extrasOf = await Promise.all(wanted.map((r) => Promise.all((r.extraFiles ?? []).map(async (f) => ({ ...f, sha256: await sha256File(f.path) })))))
  const key = await bundleKey(kubeVersions, arch, candidates, extrasOf)
  const cacheDir = opts.cacheDir ?? SANDBOX_CACHE_DIR
  const dir = join(cacheDir, `${kubeVersions.join('+')}-${arch}-${key}`)
  const manifestFile = join(dir, MANIFEST_NAME)
  if (await exists(join(dir, 'bundle.json'))) {
    say(`Sandbox bundle is up to date: ${dir}`)
    return { dir, manifestFile, kubeVersion, kubeVersions, arch, index: await readBundleIndex(dir), cached: true }
  }

  await mkdir(cacheDir, { recursive: true })
  const work = await mkdtemp(join(cacheDir, '.build-'))
  try {
    say(`Making the sandbox bundle for Kubernetes ${kubeVersions.join(', ')} (${arch}) from Debian packages`)
    const root = await unpackSources(work, candidates)
    const v = (pkg: string) => upstreamVersion(candidates[pkg] as string)
    const releases: PlannedRelease[] = kubeVersions.map((kv, i) => planRelease(kv, artifactsFor({ kubeVersion: kv, arch }), extrasOf[i]!, {
      containerd_version: v('containerd'), runc_version: v('runc'), etcd_version: v('etcd-server'), cni_version: v('containernetworking-plugins'),
    }))
    // Paths depend on versions only; resolve them once with placeholder sums, then write the real manifest.
    const provisional = join(work, MANIFEST_NAME)
    await writeSandboxManifest(provisional, releases, candidates, arch, releases.map((r) => Object.fromEntries(r.fileNames.map((n) => [n, '0'.repeat(64)]))))
    const from = join(work, 'from')
    const sums = await placeReleases(releases, provisional, from, root, arch)

    const out = join(work, 'bundle')
    await mkdir(out)
    await writeSandboxManifest(join(out, MANIFEST_NAME), releases, candidates, arch, sums)
    const index = await indexReleases(out, releases, from, arch, opts.progress)
    await rm(dir, { recursive: true, force: true })
    await rename(out, dir)
    say(`Sandbox bundle ready: ${dir}`)
    return { dir, manifestFile, kubeVersion, kubeVersions, arch, index, cached: false }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

/** The Debian packages of SOURCES at their candidate versions, downloaded and unpacked into one tree under `work`. */
async function unpackSources(work: string, candidates: Record<string, string | undefined>): Promise<string> {
  const debs = join(work, 'debs')
  await mkdir(debs)
  await runCommand('apt-get', ['download', '-q', '--', ...SOURCES.map((p) => `${p}=${candidates[p]}`)], { cwd: debs })
  const root = join(work, 'root')
  for (const deb of await readdir(debs)) await runCommand('dpkg-deb', ['-x', join(debs, deb), root])
  return root
}

async function writeSandboxManifest(file: string, releases: PlannedRelease[], candidates: Record<string, string | undefined>, arch: string,
  sums: Array<Record<string, string>>): Promise<void> {
  await writeFile(file, [
    `# Sandbox offline manifest, generated by kubeseed from Debian packages: ${SOURCES.map((p) => `${p} ${candidates[p]}`).join(', ')}.`,
    '# For the sandbox only: these are not upstream release files.',
    dump({
      releases: releases.map((r, i) => ({ kube_version: r.kubeVersion, files: r.fileNames, versions: r.versions, sha256: { [arch]: sums[i] } })),
    }, { lineWidth: -1 }),
  ].join('\n'))
}

/** Every release built into `out`, then one index for all: the first release's artifacts, every release's images (the mirror pushes them all). */
async function indexReleases(out: string, releases: PlannedRelease[], from: string, arch: string, progress: Writable | undefined): Promise<BundleIndex> {
  let index: BundleIndex | undefined
  const images = new Map<string, BundleImage>()
  for (const r of releases) {
    index = await buildBundle({ out, kubeVersion: r.kubeVersion, arch, from, manifestFiles: [join(out, MANIFEST_NAME)], progress })
    for (const img of index.images) images.set(img.archive, img)
  }
  if (releases.length > 1) {
    index = await writeBundleIndex(out, artifactsFor({ kubeVersion: releases[0]!.kubeVersion, arch, manifestFiles: [join(out, MANIFEST_NAME)] }), [...images.values()], (index as BundleIndex).aptKey)
  }
  return index as BundleIndex
}

/** The full kube_version of each release asked for, each once. */
function checkedKubeVersions(wanted: Array<{ kubeVersion: string }>, arch: string): string[] {
  const kubeVersions: string[] = []
  for (const r of wanted) {
    const v = r.kubeVersion.replace(/^v/, '')
    if (!/^\d+\.\d+\.\d+$/.test(v)) {
      throw new UsageError(`sandbox kube_version must be a full version like ${artifactsFor({ kubeVersion: r.kubeVersion, arch }).kubeVersion}, got "${r.kubeVersion}"`)
    }
    if (kubeVersions.includes(v)) throw new UsageError(`sandbox bundle: kube_version ${v} is given twice`)
    kubeVersions.push(v)
  }
  return kubeVersions
}

/** What a bundle is made of (recipe, versions, Debian candidates, extra files, manifest layout): its cache key. */
async function bundleKey(kubeVersions: string[], arch: string, candidates: Record<string, string | undefined>, extrasOf: Array<PlannedRelease['extras']>): Promise<string> {
  const layoutHash = createHash('sha256')
  for (const f of (await readdir(defaultManifestDir())).sort()) layoutHash.update(await readFile(join(defaultManifestDir(), f)))
  return createHash('sha256').update(JSON.stringify({
    RECIPE, kubeVersions, arch, candidates,
    extras: extrasOf.map((extras) => extras.map(({ name, version, sha256 }) => ({ name, version, sha256 }))), layout: layoutHash.digest('hex'),
  })).digest('hex').slice(0, 16)
}

/** Each release's files (repackaged from Debian, or the extra files) and images under `from`; their sums. */
async function placeReleases(releases: PlannedRelease[], provisional: string, from: string, root: string, arch: string): Promise<Array<Record<string, string>>> {
  const sums: Array<Record<string, string>> = []
  for (const r of releases) {
    const p = artifactsFor({ kubeVersion: r.kubeVersion, arch, manifestFiles: [provisional] })
    const pathOf = (name: string) => join(from, 'files', (p.files.find((f) => f.name === name) as { path: string }).path)
    await repackage(root, r.versions, arch, pathOf)
    for (const extra of r.extras) {
      await mkdir(dirname(pathOf(extra.name)), { recursive: true })
      await copyFile(extra.path, pathOf(extra.name))
    }
    const s: Record<string, string> = {}
    for (const name of r.fileNames) s[name] = await sha256File(pathOf(name))
    sums.push(s)
    await writeImages(p, from, join(root, 'bin', 'busybox'), arch)
  }
  return sums
}

/** A release's versions and files: the runtime pieces are the Debian-made ones, the extra files replace the manifest's. */
function planRelease(kubeVersion: string, upstream: Artifacts, extras: PlannedRelease['extras'], runtime: Record<string, string>): PlannedRelease {
  const versions: Record<string, string> = { ...upstream.versions, ...runtime }
  const fileNames = ['containerd', 'runc', 'etcd', 'cni-plugins']
  for (const extra of extras) {
    const spec = upstream.files.find((f) => f.name === extra.name)
    if (!spec) throw new UsageError(`sandbox extra file "${extra.name}" is not a file of the offline manifest`, undefined, `known: ${upstream.files.map((f) => f.name).join(', ')}`)
    if (spec.versionVar !== 'kube_version') {
      if (!extra.version) throw new UsageError(`sandbox extra file "${extra.name}" needs a version (${spec.versionVar})`)
      versions[spec.versionVar] = extra.version
    }
    if (!fileNames.includes(extra.name)) fileNames.push(extra.name)
  }
  for (const f of upstream.files) if (!fileNames.includes(f.name) && f.versionVar !== 'kube_version') delete versions[f.versionVar]
  return { kubeVersion, upstream, versions, fileNames, extras }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}

async function candidateVersions(pkgs: string[]): Promise<Record<string, string>> {
  const { stdout } = await runCommand('apt-cache', ['policy', '--', ...pkgs])
  const out: Record<string, string> = {}
  let current = ''
  for (const line of stdout.split('\n')) {
    const head = /^(\S+):$/.exec(line)
    if (head) current = head[1] as string
    const cand = /^\s+Candidate: (\S+)/.exec(line)
    if (cand && current) out[current] = cand[1] as string
  }
  for (const p of pkgs) {
    if (!out[p] || out[p] === '(none)') {
      throw new UsageError(`Debian package ${p} is not available from apt`, undefined, 'run `apt-get update` with the Debian bookworm sources enabled')
    }
  }
  return out
}

const TAR = ['--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0']

async function tarGz(dest: string, cwd: string, entries: string[]): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  await runCommand('tar', ['--create', '--gzip', ...TAR, '--file', dest, '-C', cwd, ...entries])
}

/** Upstream release layouts, from the unpacked Debian packages under `root`. */
async function repackage(root: string, versions: Record<string, string>, arch: string, pathOf: (name: string) => string): Promise<void> {
  const stage = join(root, '..', 'stage')

  const containerd = join(stage, 'containerd')
  await mkdir(join(containerd, 'bin'), { recursive: true })
  for (const bin of await readdir(join(root, 'usr', 'bin'))) {
    if (bin === 'ctr' || bin.startsWith('containerd')) await copyFile(join(root, 'usr', 'bin', bin), join(containerd, 'bin', bin))
  }
  await tarGz(pathOf('containerd'), containerd, ['bin'])

  await mkdir(dirname(pathOf('runc')), { recursive: true })
  await copyFile(join(root, 'usr', 'sbin', 'runc'), pathOf('runc'))
  await chmod(pathOf('runc'), 0o755)

  const etcdDir = `etcd-v${versions.etcd_version}-linux-${arch}`
  await mkdir(join(stage, 'etcd', etcdDir), { recursive: true })
  for (const bin of ['etcd', 'etcdctl']) await copyFile(join(root, 'usr', 'bin', bin), join(stage, 'etcd', etcdDir, bin))
  await tarGz(pathOf('etcd'), join(stage, 'etcd'), [etcdDir])

  // The upstream CNI archive is flat: ./bridge, ./host-local, ...
  await tarGz(pathOf('cni-plugins'), join(root, 'usr', 'lib', 'cni'), ['.'])
}

async function writeImages(planned: Artifacts, from: string, busybox: string, arch: string): Promise<void> {
  const layer = await busyboxLayer(busybox)
  for (const img of planned.images) {
    await writeOciArchive({ repo: img.repo, tag: img.tag, arch, labels: { 'io.kubeseed.sandbox': 'true' } }, layer,
      join(from, bundlePaths.image(img)))
  }
}
