// copy: install a file's content (inline `content`, a controller file `src`, or a file on the host with
// remote_src) at `dest`, atomically, only when it differs.

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { attrArgs, baseName, diffPrologue } from './shared/shell-args.js'
import { validateCommand } from './shared/validate-command.js'

export interface CopyParams {
  src?: string
  content?: string
  dest: string
  mode?: string
  owner?: string
  group?: string
  force: boolean
  remote_src: boolean
  validate?: string
}

export const copy: RemoteTaskType<CopyParams> = {
  kind: 'remote',
  name: 'copy',
  supportsCheck: true,
  params: {
    src: { type: 'path' },
    content: { type: 'string' },
    dest: { type: 'path', required: true },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
    force: { type: 'bool', default: true },
    remote_src: { type: 'bool', default: false },
    validate: { type: 'string' },
  },
  validate(p, where) {
    if ((p.src === undefined) === (p.content === undefined)) {
      throw new PlaybookError('copy: give exactly one of "src" and "content"', where, 'content: for inline text, src: for a file')
    }
    if (p.content !== undefined && p.dest.endsWith('/')) {
      throw new PlaybookError(`copy: dest "${p.dest}" is a directory but content has no file name`, where, 'give the full file path as dest')
    }
  },
  plan(p, ctx) {
    const dest = p.dest.endsWith('/') && p.src ? `${p.dest}${baseName(p.src)}` : p.dest
    const put: string[] = [diffPrologue(ctx)]
    const payloads: Buffer[] = []
    let source: string
    if (p.remote_src) {
      source = quote(p.src!)
      put.push(`[ -f ${source} ] || ks_fail ${quote(`copy: source ${p.src} does not exist on the host`)}`)
    } else {
      payloads.push(p.content !== undefined ? Buffer.from(p.content) : ctx.readLocalFile(p.src!))
      source = '"$KS_P0"'
    }
    if (p.validate) put.push(validateCommand(p.validate, source, ctx.where))
    const install = `ks_put ${source} ${quote(dest)} ${attrArgs(p)}`
    put.push(p.force ? install : `if [ -e ${quote(dest)} ]; then :; else ${install}; fi`)
    return { script: put.join('\n'), payloads }
  },
}
