// Who owns a sandbox: the process that brought it up, from its `up` until its `down` or its end. Another
// process's `up` or `down` of the same name would stop, remount or delete the owner's nodes under it, so both
// are refused while the owner lives. The lock file holds the owner's pid and start time (a reused pid is not
// the owner); the lock of an owner that has ended is taken over.

import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { isSameProcess, processStartTime } from './process-tree.js'
import { SandboxError } from './sandbox-error.js'
import { SANDBOX_HOME } from './state.js'

interface Holder { pid: number; startTime?: number }

/** Kept by name, not in the state directory: two runs may give the same name different state directories. */
export function ownerLockFile(name: string): string {
  return join(SANDBOX_HOME, `${name}.lock`)
}

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

/** Holds this thread for `ms` (takeOwnership is synchronous; waits are rare and short). */
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

/**
 * Makes this process the owner of sandbox `name`: true when it took the lock now, false when it held it
 * already. Refused with one line naming the holder while another live process holds it.
 */
export function takeOwnership(name: string, file = ownerLockFile(name)): boolean {
  mkdirSync(dirname(file), { recursive: true })
  for (let round = 0; round < 200; round++) {
    if (createLock(file)) return true
    const holder = readHolder(file)
    if (holder === undefined) continue
    if (sameHolder(holder, me())) return false
    if (isSameProcess(holder.pid, holder.startTime)) {
      throw new SandboxError(`sandbox "${name}" is in use by pid ${holder.pid}`, undefined,
        `that process owns it until its \`sandbox down\` or its end; wait for it or stop it, or pick another name`)
    }
    if (!breakLock(file, holder)) pause(10)
  }
  throw new SandboxError(`sandbox "${name}": the lock ${file} keeps changing hands`, undefined, 'another run is starting on that name; try again')
}

/** Gives the sandbox up, when this process owns it. */
export function releaseOwnership(name: string, file = ownerLockFile(name)): void {
  const holder = readHolder(file)
  if (holder && sameHolder(holder, me())) rmSync(file, { force: true })
}
