// Who owns a sandbox: the process that brought it up, from its `up` until its `down` or its end. Another
// process's `up` or `down` of the same name would stop, remount or delete the owner's nodes under it, so both
// are refused while the owner lives; the lock of an owner that has ended is taken over (lock.ts).

import { join } from 'node:path'
import { tryLock, unlock } from './lock.js'
import { SandboxError } from './sandbox-error.js'
import { SANDBOX_HOME } from './state.js'

/** Kept by name, not in the state directory: two runs may give the same name different state directories. */
export function ownerLockFile(name: string): string {
  return join(SANDBOX_HOME, `${name}.lock`)
}

/**
 * Makes this process the owner of sandbox `name`: true when it took the lock now, false when it held it
 * already. Refused with one line naming the holder while another live process holds it.
 */
export function takeOwnership(name: string, file = ownerLockFile(name)): boolean {
  const got = tryLock(file)
  if (typeof got === 'object') {
    throw new SandboxError(`sandbox "${name}" is in use by pid ${got.pid}`, undefined,
      `that process owns it until its \`sandbox down\` or its end; wait for it or stop it, or pick another name`)
  }
  return got === 'taken'
}

/** Gives the sandbox up, when this process owns it. */
export function releaseOwnership(name: string, file = ownerLockFile(name)): void {
  unlock(file)
}
