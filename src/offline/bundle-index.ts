// bundle.json: what a bundle holds (the resolved artifacts) and the sha256 and size of every file in it.

import { readdir, readFile, stat, writeFile, rename } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'
import { sha256File } from './checksum.js'
import type { Artifacts, ImageArtifact } from './manifest.js'
import { ManifestError } from './manifest-error.js'
import { isAptKey, type AptKey } from './apt-signing.js'

const DIGEST = /^sha256:[0-9a-f]{64}$/

export const INDEX_FILE = 'bundle.json'
/** Runtime state of `offline serve` (registry storage, its config); not part of the bundle. */
export const SERVE_STATE_DIR = '.serve'

export interface BundleImage extends ImageArtifact {
  /** OCI archive path relative to the bundle root. */
  archive: string
  /** Digest of the image manifest in the archive: what the mirror must serve and the nodes pull. */
  manifestDigest: string
}

export interface BundleIndex {
  format: 1
  kubeVersion: string
  arch: string
  artifacts: Artifacts
  images: BundleImage[]
  /** The key the apt repository's Release is signed with (its secret half was discarded after signing). */
  aptKey: AptKey
  /** Relative path (with /) -> checksum and size, for every file except bundle.json and .serve/. */
  files: Record<string, { sha256: string; size: number }>
}

/** Bundle paths of the pieces, relative to the bundle root. */
export const bundlePaths = {
  file: (path: string) => `files/${path}`,
  image: (img: ImageArtifact) => `images/${img.repo}/${img.tag}.oci.tar`,
  debianRepo: 'debian',
}

/** Every file under root (relative, / separated), skipping the index and serve state. */
export async function listBundleFiles(root: string): Promise<string[]> {
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, entry.name)
      const rel = relative(root, abs).split(sep).join('/')
      if (rel === INDEX_FILE || rel === SERVE_STATE_DIR) continue
      if (entry.isDirectory()) await walk(abs)
      else out.push(rel)
    }
  }
  await walk(root)
  return out.sort()
}

export async function writeBundleIndex(root: string, artifacts: Artifacts, images: BundleImage[], aptKey: AptKey): Promise<BundleIndex> {
  const files: BundleIndex['files'] = {}
  for (const rel of await listBundleFiles(root)) {
    const abs = join(root, rel)
    files[rel] = { sha256: await sha256File(abs), size: (await stat(abs)).size }
  }
  const index: BundleIndex = { format: 1, kubeVersion: artifacts.kubeVersion, arch: artifacts.arch, artifacts, images, aptKey, files }
  const tmp = join(root, `${INDEX_FILE}.part`)
  await writeFile(tmp, `${JSON.stringify(index, null, 2)}\n`)
  await rename(tmp, join(root, INDEX_FILE))
  return index
}

export async function readBundleIndex(root: string): Promise<BundleIndex> {
  const file = join(root, INDEX_FILE)
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch {
    throw new ManifestError(`no ${INDEX_FILE} in ${root}`, { file }, 'point at a directory made by `kubeseed offline build`')
  }
  let index: BundleIndex
  try {
    index = JSON.parse(text) as BundleIndex
  } catch (e) {
    throw new ManifestError(`not valid JSON: ${(e as Error).message}`, { file }, 'rebuild the bundle')
  }
  if (index.format !== 1 || typeof index.files !== 'object' || !Array.isArray(index.images)) {
    throw new ManifestError('not a kubeseed bundle index (format 1)', { file }, 'rebuild the bundle')
  }
  // Bundles made before the repository was signed and the images pinned cannot be served verifiably.
  if (!isAptKey(index.aptKey) || !index.images.every((i) => DIGEST.test(String(i.manifestDigest)))) {
    throw new ManifestError('the bundle has no apt signing key or image digests (made by an older kubeseed, or edited)', { file },
      'rebuild it with `kubeseed offline build`')
  }
  return index
}
