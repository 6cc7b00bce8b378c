// `kubeseed offline build`: gather every artifact of a Kubernetes version into a bundle directory.
// Resumable: files whose sha256 already matches are kept, images and packages already present are kept.

import { copyFile, mkdir, readdir, rename, rm, access } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { createHash } from 'node:crypto'
import type { Writable } from 'node:stream'
import { artifactsFor, type Artifacts, type FileArtifact, type ImageArtifact, type ManifestOptions } from './manifest.js'
import { sha256File, sha256IfExists } from './checksum.js'
import { fetchVerified } from './fetch-file.js'
import { debianClosure, debInfo, downloadDebs, writeFlatRepo } from './apt-packages.js'
import { bundlePaths, writeBundleIndex, type BundleImage, type BundleIndex } from './bundle-index.js'
import { runCommand } from './run-command.js'
import { BundleError } from './manifest-error.js'
import type { AptKey } from './apt-signing.js'

export interface BuildOptions extends ManifestOptions {
  out: string
  kubeVersion: string
  arch: string
  /**
   * A directory to take artifacts from before going online: files at files/<path>, <path> or their upstream
   * file name; images at images/<repo>/<tag>.oci.tar; .deb files in debian/ or at the top.
   */
  from?: string
  /** Download files from this mirror (kubespray's files_repo layout) instead of their upstream URLs. */
  filesRepo?: string
  progress?: Writable
}

export async function buildBundle(opts: BuildOptions): Promise<BundleIndex> {
  const artifacts = artifactsFor(opts)
  const say = (line: string) => opts.progress?.write(`${line}\n`)
  await mkdir(opts.out, { recursive: true })
  say(`Building the offline bundle for Kubernetes ${artifacts.kubeVersion} (${artifacts.arch}) in ${opts.out}`)

  for (const [i, f] of artifacts.files.entries()) {
    say(`[file ${i + 1}/${artifacts.files.length}] ${f.name} ${f.version}: ${await placeFile(f, opts)}`)
  }
  const images: BundleImage[] = []
  for (const [i, img] of artifacts.images.entries()) {
    const archive = bundlePaths.image(img)
    const placed = await placeImage(img, archive, artifacts.arch, opts)
    const manifestDigest = await archiveManifestDigest(join(opts.out, archive))
    say(`[image ${i + 1}/${artifacts.images.length}] ${img.repo}:${img.tag}: ${placed} (${manifestDigest})`)
    images.push({ ...img, archive, manifestDigest })
  }
  const packages = await placePackages(artifacts, opts)
  say(`[packages] ${packages.summary}`)
  say(`[packages] repository signed by key ${packages.key.fingerprint} (made for this bundle; its secret half is not kept)`)
  const index = await writeBundleIndex(opts.out, artifacts, images, packages.key)
  say(`Wrote bundle.json: ${Object.keys(index.files).length} files`)
  return index
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}

/** Copy into place via DEST.part, so an interrupted copy never looks finished. */
async function copyAtomic(src: string, dest: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  const part = `${dest}.part`
  await copyFile(src, part)
  await rename(part, dest)
}

async function placeFile(f: FileArtifact, opts: BuildOptions): Promise<string> {
  const dest = join(opts.out, bundlePaths.file(f.path))
  const have = await sha256IfExists(dest)
  if (have === f.sha256) return 'already present'
  if (have !== undefined) await rm(dest)
  if (opts.from) {
    for (const candidate of [join(opts.from, 'files', f.path), join(opts.from, f.path), join(opts.from, basename(f.path))]) {
      const got = await sha256IfExists(candidate)
      if (got === undefined) continue
      if (got !== f.sha256) {
        throw new BundleError(`checksum mismatch for ${candidate}: expected sha256 ${f.sha256} (${f.name} ${f.version}), got ${got}`,
          undefined, 'replace the file with the upstream one; it was not copied')
      }
      await copyAtomic(candidate, dest)
      if ((await sha256File(dest)) !== f.sha256) {
        await rm(dest, { force: true })
        throw new BundleError(`${candidate} changed while it was copied`, undefined, 'run the build again')
      }
      return `copied from ${candidate}`
    }
  }
  const url = opts.filesRepo ? `${opts.filesRepo.replace(/\/+$/, '')}/${f.path}` : f.url
  await fetchVerified(url, dest, f.sha256)
  return `downloaded ${url}`
}

async function placeImage(img: ImageArtifact, archive: string, arch: string, opts: BuildOptions): Promise<string> {
  const dest = join(opts.out, archive)
  if (await exists(dest)) return 'already present'
  if (opts.from) {
    const candidate = join(opts.from, archive)
    if (await exists(candidate)) {
      await copyAtomic(candidate, dest)
      return `copied from ${candidate}`
    }
  }
  await mkdir(dirname(dest), { recursive: true })
  const part = `${dest}.part`
  await rm(part, { force: true })
  const source = `docker://${img.repo}${img.digest ? `@${img.digest}` : `:${img.tag}`}`
  try {
    await runCommand('skopeo', ['copy', '--quiet', '--override-os', 'linux', '--override-arch', arch, source, `oci-archive:${part}:${img.repo}:${img.tag}`])
  } catch (e) {
    await rm(part, { force: true })
    throw new BundleError(`cannot copy image ${img.repo}:${img.tag}: ${(e as Error).message}`, undefined,
      `check the network, or put the OCI archive at ${archive} in the --from directory`)
  }
  await rename(part, dest)
  return `copied from ${source}`
}

async function debsIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith('.deb')).map((f) => join(dir, f))
  } catch {
    return []
  }
}

/** The digest of the image manifest an OCI archive holds: sha256 of its bytes, as a registry names it. */
async function archiveManifestDigest(archive: string): Promise<string> {
  const raw = await runCommand('skopeo', ['inspect', '--raw', `oci-archive:${archive}`])
  return `sha256:${createHash('sha256').update(Buffer.from(raw.stdout, 'utf8')).digest('hex')}`
}

async function placePackages(artifacts: Artifacts, opts: BuildOptions): Promise<{ summary: string; key: AptKey }> {
  const repo = join(opts.out, bundlePaths.debianRepo)
  await mkdir(repo, { recursive: true })
  const present = new Set<string>()
  for (const deb of await debsIn(repo)) present.add((await debInfo(deb)).name)
  let copied = 0
  if (opts.from) {
    for (const deb of [...(await debsIn(join(opts.from, 'debian'))), ...(await debsIn(opts.from))]) {
      const dest = join(repo, basename(deb))
      if (!(await exists(dest))) {
        await copyAtomic(deb, dest)
        copied++
      }
      present.add((await debInfo(deb)).name)
    }
  }
  const wanted = debianPackages(artifacts)
  const missing = wanted.filter((p) => !present.has(p))
  let downloaded = 0
  if (missing.length > 0) {
    const hostArch = (await runCommand('dpkg', ['--print-architecture'])).stdout.trim()
    if (hostArch !== artifacts.arch) {
      throw new BundleError(`Debian packages for ${artifacts.arch} cannot be resolved on this ${hostArch} machine: ${missing.join(', ')}`,
        undefined, 'put the .deb files in the --from directory')
    }
    const pkgs = (await debianClosure(missing)).filter((p) => !present.has(p.name) || missing.includes(p.name))
    await downloadDebs(pkgs, repo)
    downloaded = pkgs.length
  }
  const key = await writeFlatRepo(repo)
  return { summary: `debian repository: ${copied} copied, ${downloaded} resolved with dependencies, ${wanted.length} wanted`, key }
}

/** Every Debian package the bundle's repository carries: the node packages and every package set. */
export function debianPackages(artifacts: Artifacts): string[] {
  return [...new Set([...artifacts.packages.debian, ...Object.values(artifacts.packageSets).flatMap((s) => s.debian)])]
}
