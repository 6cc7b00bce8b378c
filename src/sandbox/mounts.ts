// The node's root: an overlay whose lower layer is the shared, read-only root filesystem and whose
// upper layer is the node's own. Mount points are read back from /proc/self/mountinfo, the kernel's truth.

import { mkdirSync, readFileSync } from 'node:fs'
import { resolve, sep } from 'node:path'
import { run, runAny } from './host-command.js'
import { SandboxError } from './sandbox-error.js'

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)))
}

export function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean).map((line) => unescapeMountPath(line.split(' ')[4]))
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const base = resolve(dir)
  return mountPoints()
    .filter((m) => m === base || m.startsWith(base + sep))
    .sort((a, b) => b.length - a.length)
}

export function isMountPoint(dir: string): boolean {
  return mountPoints().includes(resolve(dir))
}

export async function mountOverlay(lower: string, layers: { upper: string; work: string; root: string }): Promise<void> {
  if (isMountPoint(layers.root)) return
  for (const d of [layers.upper, layers.work, layers.root]) mkdirSync(d, { recursive: true })
  // overlayfs splits its options on commas and colons, so paths holding them cannot be layers.
  for (const p of [lower, layers.upper, layers.work]) {
    if (/[,:]/.test(p)) throw new SandboxError(`overlay layer path "${p}" contains "," or ":"`, undefined, 'choose a state directory without those characters')
  }
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${layers.upper},workdir=${layers.work}`, layers.root])
}

/** Unmounts everything at or below `dir`; a busy mount is retried, then detached lazily as a last resort. */
export async function unmountAllUnder(dir: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const mounts = mountsUnder(dir)
    if (mounts.length === 0) return
    for (const m of mounts) await runAny('umount', [m])
    if (mountsUnder(dir).length > 0) await new Promise((r) => setTimeout(r, 250))
  }
  for (const m of mountsUnder(dir)) await runAny('umount', ['--lazy', m])
  const left = mountsUnder(dir)
  if (left.length > 0) {
    throw new SandboxError(`cannot unmount ${left.join(', ')}`, undefined, 'find what still uses it with `fuser -vm` and stop it, then run down again')
  }
}
