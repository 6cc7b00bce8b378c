// Controller-side atomic write: a new file with a random name beside the target, opened exclusively (never
// through a planted link) with its final mode before any byte is written, then renamed over the target.

import { randomBytes } from 'node:crypto'
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

export function writeFileAtomic(target: string, data: string | Buffer, mode = 0o600): void {
  const tmp = join(dirname(target), `.${basename(target)}.kubeseed-${randomBytes(6).toString('hex')}`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data)
    closeSync(fd)
    renameSync(tmp, target)
  } catch (e) {
    try { closeSync(fd) } catch { /* already closed */ }
    rmSync(tmp, { force: true })
    throw e
  }
}
