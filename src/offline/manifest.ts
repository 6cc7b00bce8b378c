// The offline manifest: which files, images and OS packages a Kubernetes version needs.
// The facts live in offline/*.yaml (data); this module loads, validates and resolves them.

import { readFileSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { UsageError } from '../engine/errors.js'
import { OFFLINE_DIR } from '../engine/paths.js'
import { loadYaml, YamlError } from '../engine/yaml.js'
import { ManifestError } from './manifest-error.js'

export interface FileArtifact {
  name: string
  version: string
  /** The release variable that versions the file (kubespray's name: kube_version, containerd_version, ...). */
  versionVar: string
  url: string
  sha256: string
  /** Path under a bundle's files/ (kubespray's files_repo layout): the URL without its scheme. */
  path: string
  /**
   * Its name in a host's download cache (local_release_dir), kubespray's `downloads.<name>.dest`: versioned, so
   * an upgrade's files sit beside the release before them. The URL's file name when the manifest gives none.
   */
  cache: string
}

export interface ImageArtifact {
  name: string
  repo: string
  tag: string
  digest?: string
}

export interface PackageLists {
  debian: string[]
  redhat: string[]
}

export interface Artifacts {
  kubeVersion: string
  arch: string
  versions: Record<string, string>
  files: FileArtifact[]
  images: ImageArtifact[]
  /** Installed on every node. */
  packages: PackageLists
  /** Installed only by the role that names the set (e.g. the API load balancer's nginx or haproxy); bundled all the same. */
  packageSets: Record<string, PackageLists>
}

interface FileSpec { name: string; version: string; url: string; path?: string; cache?: string; from: string }
interface ImageSpec { name: string; repo: string; tag: string; from: string }
interface Release {
  kubeVersion: string
  versions: Record<string, string>
  sha256: Record<string, Record<string, string>>
  digests: Record<string, string>
  /** When set, only these layout files belong to the release. */
  only?: string[]
  packages?: Partial<PackageLists>
  from: string
}

export interface Manifest {
  files: Map<string, FileSpec>
  images: Map<string, ImageSpec>
  packages: PackageLists
  packageSets: Map<string, PackageLists>
  releases: Map<string, Release>
}

export interface ManifestOptions {
  /** Directory of the built-in manifest (default: the package's offline/). */
  manifestDir?: string
  /** Extra manifest files merged last (e.g. a sandbox bundle's generated manifest). */
  manifestFiles?: string[]
}

export interface ArtifactsOptions extends ManifestOptions {
  kubeVersion: string
  arch: string
}

const SHA256 = /^[0-9a-f]{64}$/
const DIGEST = /^sha256:[0-9a-f]{64}$/
const KUBE_VERSION = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/
const VAR_NAME = /^[a-z_][a-z0-9_]*$/
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g
const OS_FAMILIES = ['debian', 'redhat'] as const
const SET_NAME = /^[a-z][a-z0-9_-]*$/
const TOP_LEVEL_KEYS = ['files', 'images', 'packages', 'package_sets', 'releases']

/** The package's offline/ directory. */
export function defaultManifestDir(): string {
  return OFFLINE_DIR
}

export function loadManifest(opts: ManifestOptions = {}): Manifest {
  const dir = opts.manifestDir ?? defaultManifestDir()
  const builtIn = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => join(dir, f))
  const m: Manifest = { files: new Map(), images: new Map(), packages: { debian: [], redhat: [] }, packageSets: new Map(), releases: new Map() }
  for (const file of [...builtIn, ...(opts.manifestFiles ?? []).map((f) => resolve(f))]) mergeDocument(m, file)
  for (const rel of m.releases.values()) {
    for (const arch of Object.keys(rel.sha256)) resolveRelease(m, rel, arch)
  }
  return m
}

export function artifactsFor(opts: ArtifactsOptions): Artifacts {
  const m = loadManifest(opts)
  const rel = findRelease(m, opts.kubeVersion)
  if (!rel.sha256[opts.arch]) {
    throw new UsageError(`architecture "${opts.arch}" is not in the offline manifest for Kubernetes ${rel.kubeVersion}`,
      undefined, `supported: ${Object.keys(rel.sha256).join(', ')}`)
  }
  return resolveRelease(m, rel, opts.arch)
}

/** Every release in the manifest with its architectures, newest first. */
export function supportedReleases(m: Manifest): Array<{ kubeVersion: string; arches: string[] }> {
  return [...m.releases.values()]
    .sort((a, b) => compareVersions(b.kubeVersion, a.kubeVersion))
    .map((r) => ({ kubeVersion: r.kubeVersion, arches: Object.keys(r.sha256) }))
}

/** Exact version ("1.32.13", "v1.32.13") or a minor ("1.32": its newest patch). */
function findRelease(m: Manifest, wanted: string): Release {
  const v = wanted.replace(/^v/, '')
  const exact = m.releases.get(v)
  if (exact) return exact
  if (/^\d+\.\d+$/.test(v)) {
    const patches = [...m.releases.values()].filter((r) => r.kubeVersion.startsWith(`${v}.`))
    patches.sort((a, b) => compareVersions(b.kubeVersion, a.kubeVersion))
    if (patches[0]) return patches[0]
  }
  const list = supportedReleases(m).map((r) => `${r.kubeVersion} (${r.arches.join(', ')})`).join(', ')
  throw new UsageError(`Kubernetes version "${wanted}" is not in the offline manifest`, undefined,
    `supported: ${list || 'none'}; add a release to offline/ to support another`)
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split(/[.+-]/).map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}

function resolveRelease(m: Manifest, rel: Release, arch: string): Artifacts {
  const vars: Record<string, string> = { ...rel.versions, kube_version: rel.kubeVersion, image_arch: arch }
  const sums = rel.sha256[arch] ?? {}
  const entry = (what: string) => `release ${rel.kubeVersion} ${what}`
  const names = rel.only ?? [...m.files.keys()]
  const files: FileArtifact[] = names.map((name) => {
    const spec = m.files.get(name)
    if (!spec) throw new ManifestError(`${entry('files')}: "${name}" is not a file of the manifest`, { file: rel.from })
    const sha256 = sums[name]
    if (!sha256) {
      throw new ManifestError(`${entry(`sha256.${arch}`)}: no checksum for "${name}"`, { file: rel.from },
        'add its sha256, or list the release\'s files with `files:`')
    }
    const version = vars[spec.version]
    if (version === undefined) {
      throw new ManifestError(`file "${name}": release ${rel.kubeVersion} has no version "${spec.version}"`, { file: spec.from },
        `add ${spec.version} to the release's versions`)
    }
    const url = expand(spec.url, vars, spec.from, `file "${name}" url`)
    const path = spec.path ? expand(spec.path, vars, spec.from, `file "${name}" path`) : url.replace(/^[a-z]+:\/\//, '')
    const cache = spec.cache ? expand(spec.cache, vars, spec.from, `file "${name}" cache`) : path.split('/').pop()!
    return { name, version, versionVar: spec.version, url, sha256, path, cache }
  })
  const images: ImageArtifact[] = [...m.images.values()].map((spec) => {
    const img: ImageArtifact = {
      name: spec.name,
      repo: expand(spec.repo, vars, spec.from, `image "${spec.name}" repo`),
      tag: expand(spec.tag, vars, spec.from, `image "${spec.name}" tag`),
    }
    const digest = rel.digests[spec.name]
    if (digest) img.digest = digest
    return img
  })
  const packages: PackageLists = {
    debian: rel.packages?.debian ?? m.packages.debian,
    redhat: rel.packages?.redhat ?? m.packages.redhat,
  }
  const packageSets = Object.fromEntries([...m.packageSets].map(([name, lists]) => [name, { debian: [...lists.debian], redhat: [...lists.redhat] }]))
  return { kubeVersion: rel.kubeVersion, arch, versions: { ...rel.versions }, files, images, packages, packageSets }
}

function expand(text: string, vars: Record<string, string>, file: string, what: string): string {
  const out = text.replace(PLACEHOLDER, (_all, name: string) => {
    const v = vars[name]
    if (v === undefined) {
      throw new ManifestError(`${what}: unknown variable "${name}" in "${text}"`, { file },
        `known: ${Object.keys(vars).sort().join(', ')}`)
    }
    return v
  })
  if (out.includes('{{') || out.includes('}}')) {
    throw new ManifestError(`${what}: only {{ variable }} placeholders are allowed in "${text}"`, { file })
  }
  return out
}

// ---- parsing and validation of one manifest document

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function mergeDocument(m: Manifest, file: string): void {
  let doc: unknown
  try {
    doc = loadYaml(readFileSync(file, 'utf8'), file)
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') throw new ManifestError('manifest file not found', { file }, 'check the path')
    if (e instanceof YamlError) throw new ManifestError(`not valid YAML: ${e.reason}`, e.where)
    throw e
  }
  if (doc === null || doc === undefined) return
  const bad = (what: string, hint?: string) => new ManifestError(what, { file }, hint)
  if (!isObj(doc)) throw bad(`a manifest must be a mapping with ${TOP_LEVEL_KEYS.join(', ')}`)
  for (const key of Object.keys(doc)) {
    if (!TOP_LEVEL_KEYS.includes(key)) throw bad(`unknown top-level key "${key}"`, `allowed: ${TOP_LEVEL_KEYS.join(', ')}`)
  }
  for (const [i, raw] of list(doc.files, 'files', file).entries()) {
    const at = `files[${i}]`
    const e = fields(raw, at, file, ['name', 'version', 'url'], ['path', 'cache'])
    if (!VAR_NAME.test(e.version)) throw bad(`${at} (${e.name}): version must name a variable such as kube_version, got "${e.version}"`)
    if (!/^https?:\/\//.test(e.url)) throw bad(`${at} (${e.name}): url must start with http:// or https://`)
    if (e.cache !== undefined && (e.cache.includes('/') || e.cache.startsWith('.'))) {
      throw bad(`${at} (${e.name}): cache must be a file name, got "${e.cache}"`, 'it names the file inside local_release_dir')
    }
    m.files.set(e.name, { name: e.name, version: e.version, url: e.url, path: e.path, cache: e.cache, from: file })
  }
  for (const [i, raw] of list(doc.images, 'images', file).entries()) {
    const e = fields(raw, `images[${i}]`, file, ['name', 'repo', 'tag'], [])
    m.images.set(e.name, { name: e.name, repo: e.repo, tag: e.tag, from: file })
  }
  if (doc.packages !== undefined) Object.assign(m.packages, packageLists(doc.packages, 'packages', file))
  if (doc.package_sets !== undefined) {
    if (!isObj(doc.package_sets)) throw bad('package_sets must map a set name to package lists per OS family')
    for (const [name, lists] of Object.entries(doc.package_sets)) {
      if (!SET_NAME.test(name)) throw bad(`package_sets: "${name}" is not a set name (lowercase letters, digits, - and _)`)
      const set = m.packageSets.get(name) ?? { debian: [], redhat: [] }
      m.packageSets.set(name, { ...set, ...packageLists(lists, `package_sets.${name}`, file) })
    }
  }
  for (const [i, raw] of list(doc.releases, 'releases', file).entries()) {
    const rel = release(raw, `releases[${i}]`, file)
    m.releases.set(rel.kubeVersion, rel)
  }
}

function list(v: unknown, key: string, file: string): unknown[] {
  if (v === undefined) return []
  if (!Array.isArray(v)) throw new ManifestError(`${key} must be a list`, { file })
  return v
}

function fields<R extends string, O extends string>(raw: unknown, at: string, file: string, required: R[], optional: O[]):
  Record<R, string> & Partial<Record<O, string>> {
  if (!isObj(raw)) throw new ManifestError(`${at} must be a mapping`, { file })
  const name = typeof raw.name === 'string' ? ` (${raw.name})` : ''
  for (const k of Object.keys(raw)) {
    if (!(required as string[]).includes(k) && !(optional as string[]).includes(k)) {
      throw new ManifestError(`${at}${name}: unknown field "${k}"`, { file }, `allowed: ${[...required, ...optional].join(', ')}`)
    }
  }
  const out: Record<string, string> = {}
  for (const k of [...required, ...optional]) {
    const v = raw[k]
    if (v === undefined && (optional as string[]).includes(k)) continue
    if (typeof v !== 'string' || v === '') {
      throw new ManifestError(`${at}${name}: field "${k}" must be a non-empty string`, { file }, 'quote values YAML would read as numbers')
    }
    out[k] = v
  }
  return out as Record<R, string> & Partial<Record<O, string>>
}

function packageLists(v: unknown, at: string, file: string): Partial<PackageLists> {
  if (!isObj(v)) throw new ManifestError(`${at} must map an OS family to a list of package names`, { file })
  const out: Partial<PackageLists> = {}
  for (const [family, names] of Object.entries(v)) {
    if (!(OS_FAMILIES as readonly string[]).includes(family)) {
      throw new ManifestError(`${at}: unknown OS family "${family}"`, { file }, `allowed: ${OS_FAMILIES.join(', ')}`)
    }
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' && /^[A-Za-z0-9][A-Za-z0-9+.:_-]*$/.test(n))) {
      throw new ManifestError(`${at}.${family} must be a list of package names`, { file })
    }
    out[family as keyof PackageLists] = [...names] as string[]
  }
  return out
}

function release(raw: unknown, at: string, file: string): Release {
  const bad = (what: string, hint?: string) => new ManifestError(`${at}: ${what}`, { file }, hint)
  if (!isObj(raw)) throw bad('must be a mapping')
  const allowed = ['kube_version', 'versions', 'sha256', 'digests', 'files', 'packages']
  for (const k of Object.keys(raw)) if (!allowed.includes(k)) throw bad(`unknown field "${k}"`, `allowed: ${allowed.join(', ')}`)
  const kv = raw.kube_version
  if (typeof kv !== 'string' || !KUBE_VERSION.test(kv)) throw bad('kube_version must be a string like "1.32.13"', 'quote it')
  const where = `${at} (${kv})`
  const strMap = (v: unknown, what: string, test: (k: string, s: string) => string | undefined): Record<string, string> => {
    if (v === undefined) return {}
    if (!isObj(v)) throw new ManifestError(`${where}: ${what} must be a mapping`, { file })
    const out: Record<string, string> = {}
    for (const [k, s] of Object.entries(v)) {
      if (typeof s !== 'string') throw new ManifestError(`${where}: ${what}.${k} must be a string`, { file }, 'quote it: 3.10 unquoted is the number 3.1')
      const problem = test(k, s)
      if (problem) throw new ManifestError(`${where}: ${what}.${k} ${problem}`, { file })
      out[k] = s
    }
    return out
  }
  const versions = strMap(raw.versions, 'versions', (k) => (VAR_NAME.test(k) ? undefined : 'is not a variable name'))
  if (!isObj(raw.sha256) || Object.keys(raw.sha256).length === 0) throw new ManifestError(`${where}: sha256 must map each architecture to file checksums`, { file })
  const sha256: Record<string, Record<string, string>> = {}
  for (const [arch, sums] of Object.entries(raw.sha256)) {
    sha256[arch] = strMap(sums, `sha256.${arch}`, (_k, s) => (SHA256.test(s) ? undefined : `is not a sha256 (64 lowercase hex digits): "${s}"`))
  }
  const digests = strMap(raw.digests, 'digests', (_k, s) => (DIGEST.test(s) ? undefined : `is not a digest like sha256:<64 hex>: "${s}"`))
  let only: string[] | undefined
  if (raw.files !== undefined) {
    if (!Array.isArray(raw.files) || !raw.files.every((f) => typeof f === 'string')) throw new ManifestError(`${where}: files must be a list of file names`, { file })
    only = raw.files as string[]
  }
  const packages = raw.packages === undefined ? undefined : packageLists(raw.packages, `${where}.packages`, file)
  return { kubeVersion: kv, versions, sha256, digests, only, packages, from: file }
}
