// Lock files of this machine's processes: a file holding its owner's pid and start time (a reused pid is not
// the owner), created whole, and taken over once its owner has ended. `withLock` waits for a builder of
// something shared (the root filesystem cache), then finds its work done; sandboxes have owners that refuse
// others instead (owner-lock.ts); light hosts take address blocks (light.ts).

import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { isSameProcess, processStartTime } from './process-tree.js'
import { SandboxError } from './sandbox-error.js'

export interface Holder { pid: number; startTime?: number }

function me(): Holder {
  return { pid: process.pid, startTime: processStartTime(process.pid) }
}

function readHolder(file: string): Holder | undefined {
  let text: string
  try { text = readFileSync(file, 'utf8') } catch { return undefined }
  const [pid, startTime] = text.trim().split(' ').map(Number)
  return { pid: pid || 0, startTime: Number.isFinite(startTime) ? startTime : undefined }
}

const sameHolder = (a: Holder, b: Holder) => a.pid === b.pid && a.startTime === b.startTime

/** Created whole (written aside, then hard-linked into place), so a reader never sees a half-written lock. */
function createLock(file: string): boolean {
  const self = me()
  const aside = `${file}.${self.pid}.new`
  writeFileSync(aside, `${self.pid} ${self.startTime ?? ''}\n`)
  try {
    linkSync(aside, file)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw e
  } finally {
    rmSync(aside, { force: true })
  }
}

/** Holds this thread for `ms` (tryLock is synchronous; waits are rare and short). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/**
 * Removes the lock of `dead`, under a guard so that one process at a time does it: two seeing the same dead
 * owner could otherwise have the slower remove the lock the faster has just taken. False when another
 * process holds the guard.
 */
function breakLock(file: string, dead: Holder): boolean {
  const guard = `${file}.break`
  if (!createLock(guard)) {
    const breaker = readHolder(guard)
    // A guard is held for a moment; one left behind by a process that ended there is cleared.
    if (breaker && !isSameProcess(breaker.pid, breaker.startTime)) rmSync(guard, { force: true })
    return false
  }
  try {
    const now = readHolder(file)
    if (now && sameHolder(now, dead)) rmSync(file, { force: true })
    return true
  } finally {
    rmSync(guard, { force: true })
  }
}

/** One try at `file`: 'taken' now, 'held' by this process already, or the live process that holds it. */
export function tryLock(file: string): 'taken' | 'held' | Holder {
  mkdirSync(dirname(file), { recursive: true })
  for (let round = 0; round < 200; round++) {
    if (createLock(file)) return 'taken'
    const holder = readHolder(file)
    if (holder === undefined) continue
    if (sameHolder(holder, me())) return 'held'
    if (isSameProcess(holder.pid, holder.startTime)) return holder
    if (!breakLock(file, holder)) pause(10)
  }
  throw new SandboxError(`the lock ${file} keeps changing hands`, undefined, 'another run is starting on it right now; try again')
}

/** Removes `file` when this process holds it. */
export function unlock(file: string): void {
  const holder = readHolder(file)
  if (holder && sameHolder(holder, me())) rmSync(file, { force: true })
}

export async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  while (tryLock(lockFile) !== 'taken') await new Promise((r) => setTimeout(r, 500))
  try { return await fn() } finally { unlock(lockFile) }
}
