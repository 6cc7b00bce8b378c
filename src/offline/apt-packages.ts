// Debian packages for a bundle: which .debs a node lacks, fetching them, and the flat apt repository.

import { mkdtemp, readdir, rename, rm, writeFile, mkdir, access } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { readFile } from 'node:fs/promises'
import { runCommand } from './run-command.js'
import { signRelease, type AptKey } from './apt-signing.js'

export interface DebPackage { name: string; version: string; arch: string }

/** What a node root holds besides Priority: required (the sandbox's debootstrap --variant=minbase --include list). */
export const NODE_BASE_PACKAGES = ['apt', 'systemd', 'systemd-sysv', 'openssh-server', 'iproute2', 'ca-certificates']

const SIMULATE = ['-s', '-q', '-o', 'APT::Install-Recommends=false', '-o', 'APT::Install-Suggests=false']

/**
 * The packages to ship so that `wanted` installs on a node whose root has `base` (plus every Priority: required
 * package): the install closure of base+wanted minus that of base, both simulated against an empty dpkg status
 * with the machine's apt lists.
 */
export async function debianClosure(wanted: string[], base: string[] = NODE_BASE_PACKAGES): Promise<DebPackage[]> {
  const { stdout } = await runCommand('apt-cache', ['dumpavail'])
  const required = new Set<string>()
  let current = ''
  for (const line of stdout.split('\n')) {
    if (line.startsWith('Package: ')) current = line.slice(9).trim()
    else if (line.startsWith('Priority: required') && current) required.add(current)
  }
  const scratch = await mkdtemp(join(tmpdir(), 'kubeseed-apt-'))
  try {
    const status = join(scratch, 'status')
    await writeFile(status, '')
    const simulate = async (names: string[]) => {
      const r = await runCommand('apt-get', [...SIMULATE, '-o', `Dir::State::status=${status}`, 'install', '--', ...names])
      const out = new Map<string, DebPackage>()
      for (const m of r.stdout.matchAll(/^Inst (\S+) \((\S+) .*\[(\S+)\]\)/gm)) {
        const [, name, version, arch] = m as unknown as [string, string, string, string]
        out.set(name, { name: name.replace(/:.*$/, ''), version, arch })
      }
      return out
    }
    const baseSet = await simulate([...required, ...base])
    const all = await simulate([...required, ...base, ...wanted])
    return [...all.values()].filter((p) => !baseSet.has(p.name)).sort((a, b) => a.name.localeCompare(b.name))
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

/** The file name `apt-get download` gives a package (an epoch's colon is written %3a). */
export function debFileName(p: DebPackage): string {
  return `${p.name}_${p.version.replace(/:/g, '%3a')}_${p.arch}.deb`
}

/** Download the packages into `dir`, skipping those already there. Returns the file names. */
export async function downloadDebs(pkgs: DebPackage[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const missing: DebPackage[] = []
  for (const p of pkgs) {
    try {
      await access(join(dir, debFileName(p)))
    } catch {
      missing.push(p)
    }
  }
  if (missing.length > 0) {
    const scratch = await mkdtemp(join(dir, '.download-'))
    try {
      await runCommand('apt-get', ['download', '-q', '--', ...missing.map((p) => `${p.name}:${p.arch}=${p.version}`)], { cwd: scratch })
      for (const f of await readdir(scratch)) if (f.endsWith('.deb')) await rename(join(scratch, f), join(dir, f))
    } finally {
      await rm(scratch, { recursive: true, force: true })
    }
  }
  return pkgs.map(debFileName)
}

/** Name, version and architecture of a .deb file, read from its control data. */
export async function debInfo(path: string): Promise<DebPackage> {
  const { stdout } = await runCommand('dpkg-deb', ['--show', '--showformat=${Package}\\t${Version}\\t${Architecture}', path])
  const [name = '', version = '', arch = ''] = stdout.trim().split('\t')
  return { name, version, arch }
}

/**
 * Index `dir` as a flat apt repository (`deb [signed-by=KEYRING] URL ./`): Packages, Packages.gz, Release (the
 * index checksums apt checks) and its signatures InRelease and Release.gpg, by a key made for this repository.
 */
export async function writeFlatRepo(dir: string): Promise<AptKey> {
  const { stdout } = await runCommand('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], { cwd: dir })
  await writeFile(join(dir, 'Packages'), stdout)
  await writeFile(join(dir, 'Packages.gz'), gzipSync(Buffer.from(stdout), { level: 9 }))
  for (const f of ['Release', 'InRelease', 'Release.gpg']) await rm(join(dir, f), { force: true })
  const release = await runCommand('apt-ftparchive', ['-o', 'APT::FTPArchive::Release::Origin=kubeseed', '-o', `APT::FTPArchive::Release::Label=${RELEASE_LABEL}`, 'release', '.'], { cwd: dir })
  await writeFile(join(dir, 'Release'), release.stdout)
  return signRelease(dir, RELEASE_LABEL)
}

const RELEASE_LABEL = 'kubeseed offline bundle'

/** Package names listed in a repository's Packages index. */
export async function repoPackageNames(dir: string): Promise<Set<string>> {
  const text = await readFile(join(dir, 'Packages'), 'utf8')
  return new Set([...text.matchAll(/^Package: (\S+)$/gm)].map((m) => m[1] as string))
}
