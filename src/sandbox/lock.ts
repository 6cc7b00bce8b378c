// One builder at a time of something shared on this machine (the root filesystem cache): a second waits for
// the first, then finds its work done. Sandboxes themselves have owners instead (owner-lock.ts).

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

export async function withLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(lockFile), { recursive: true })
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx')
      writeFileSync(fd, String(process.pid))
      closeSync(fd)
      break
    } catch {
      let text: string
      try { text = readFileSync(lockFile, 'utf8') } catch { continue }
      // An empty file is a lock being taken right now; only a dead holder's lock is broken.
      const holder = Number(text)
      if (text !== '' && (!holder || !pidAlive(holder))) { rmSync(lockFile, { force: true }); continue }
      await new Promise((r) => setTimeout(r, 500))
    }
  }
  try { return await fn() } finally { rmSync(lockFile, { force: true }) }
}
