// Download one file over HTTP(S) into place, checked against its sha256.
// The data lands in DEST.part and is renamed only after the checksum matched; a mismatch deletes it.

import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { createHash } from 'node:crypto'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { BundleError } from './manifest-error.js'

export async function fetchVerified(url: string, dest: string, sha256: string): Promise<void> {
  await mkdir(dirname(dest), { recursive: true })
  const part = `${dest}.part`
  let res: Response
  try {
    res = await fetch(url, { redirect: 'follow' })
  } catch (e) {
    throw new BundleError(`cannot download ${url}: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`,
      undefined, 'check the network, or build with --from a directory holding the file')
  }
  if (!res.ok || !res.body) {
    throw new BundleError(`cannot download ${url}: HTTP ${res.status}`, undefined, 'check the URL in the offline manifest')
  }
  const hash = createHash('sha256')
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk)
      done(null, chunk)
    },
  })
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), tap, createWriteStream(part))
  } catch (e) {
    await rm(part, { force: true })
    throw new BundleError(`download of ${url} broke off: ${(e as Error).message}`, undefined, 'run the build again; finished files are kept')
  }
  const got = hash.digest('hex')
  if (got !== sha256) {
    await rm(part, { force: true })
    throw new BundleError(`checksum mismatch for ${url}: expected sha256 ${sha256}, got ${got}`, undefined,
      'the file was not kept; check the source or the sha256 in the offline manifest')
  }
  await rename(part, dest)
}
