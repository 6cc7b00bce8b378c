// fetch: copy a file from the host to the controller, into dest/<host>/<src path> like Ansible, or to
// dest itself with flat: yes. The host sends it base64-encoded; the controller writes it when it differs.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { writeFileAtomic } from '../engine/write-file-atomic.js'
import { baseName } from './shared/shell-args.js'

export interface FetchParams {
  src: string
  dest: string
  flat: boolean
  fail_on_missing: boolean
}

const MISSING = 'KS-FETCH-MISSING'

export const fetch: RemoteTaskType<FetchParams> = {
  kind: 'remote',
  name: 'fetch',
  supportsCheck: true,
  params: {
    src: { type: 'path', required: true },
    dest: { type: 'path', required: true },
    flat: { type: 'bool', default: false },
    fail_on_missing: { type: 'bool', default: true },
  },
  plan(p) {
    const src = quote(p.src)
    const missing = p.fail_on_missing ? `ks_fail ${quote(`file not found: ${p.src}`)}` : `echo ${MISSING}; exit 0`
    return { script: `[ -f ${src} ] || { ${missing}; }\nbase64 -w 0 ${src}` }
  },
  finish(p, out, ctx) {
    if (out.stdout.trim() === MISSING) return { changed: false, msg: `the remote file does not exist: ${p.src}`, file: p.src }
    const data = Buffer.from(out.stdout.replace(/\s+/g, ''), 'base64')
    const target = localPath(p, ctx.host)
    const sum = (b: Buffer) => createHash('sha256').update(b).digest('hex')
    const checksum = sum(data)
    if (existsSync(target) && sum(readFileSync(target)) === checksum) return { changed: false, dest: target, checksum }
    if (ctx.check) return { changed: true, dest: target, checksum }
    try {
      mkdirSync(dirname(target), { recursive: true })
      // Fetched files are often credentials (kubeconfigs, keys): readable by the controller's user only.
      writeFileAtomic(target, data, 0o600)
    } catch (e) {
      throw new PlaybookError(`fetch: cannot write ${target}: ${(e as Error).message}`, ctx.where, 'check that dest is writable on the controller')
    }
    return { changed: true, dest: target, checksum }
  },
}

/** Where the file lands on the controller. */
export function localPath(p: FetchParams, host: string): string {
  if (p.flat) return p.dest.endsWith('/') ? join(p.dest, baseName(p.src)) : p.dest
  return join(p.dest, host, p.src)
}
