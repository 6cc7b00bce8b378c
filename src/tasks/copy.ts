// copy: install a file's content (inline `content`, a controller file `src`, or a file on the host with
// remote_src) at `dest`, atomically, only when it differs.

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { baseName, diffPrologue, optArg } from './shared/shell-args.js'
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
    const lines: string[] = [diffPrologue(ctx)]
    const payloads: Buffer[] = []
    const who = `${optArg(p.owner)} ${optArg(p.group)}`
    // `mode: preserve` keeps the source's mode (the controller file's, or the host file's with remote_src).
    const modeArg = (localMode?: number) => p.mode !== 'preserve' ? optArg(p.mode) : localMode !== undefined ? quote(`0${localMode.toString(8)}`) : '"$_kpm"'
    const install = (source: string, dest: string, mode: string) => {
      const put = `ks_put ${source} ${dest} ${mode} ${who}`
      return p.force ? put : `if [ -e ${dest} ]; then :; else ${put}; fi`
    }
    if (p.content !== undefined) {
      payloads.push(Buffer.from(p.content))
      if (p.validate) lines.push(validateCommand(p.validate, '"$KS_P0"', ctx.where))
      lines.push(install('"$KS_P0"', quote(p.dest), optArg(p.mode)))
      return { script: lines.join('\n'), payloads }
    }
    const src = p.src!
    if (!p.remote_src) {
      const e = ctx.statLocal(src)
      if (e.dir) {
        if (p.validate) throw new PlaybookError('copy: validate works on one file, and src is a directory', ctx.where, 'drop validate, or copy the files one by one')
        const base = src.endsWith('/') ? p.dest : `${p.dest.replace(/\/+$/, '')}/${baseName(src)}`
        for (const d of ['', ...(e.dirs ?? [])]) lines.push(makeDir(d ? `${base.replace(/\/+$/, '')}/${d}` : base))
        for (const f of e.files ?? []) {
          payloads.push(ctx.readLocalFile(`${e.path}/${f.rel}`))
          lines.push(install(`"$KS_P${payloads.length - 1}"`, quote(`${base.replace(/\/+$/, '')}/${f.rel}`), modeArg(f.mode)))
        }
        return { script: lines.join('\n'), payloads }
      }
      payloads.push(ctx.readLocalFile(src))
      lines.push(...intoDir(p.dest, src))
      if (p.validate) lines.push(validateCommand(p.validate, '"$KS_P0"', ctx.where))
      lines.push(install('"$KS_P0"', '"$_kdst"', modeArg(e.mode)))
      return { script: lines.join('\n'), payloads }
    }
    const source = quote(src)
    // In check mode the source may be what an earlier task (a download) would have made.
    lines.push(`ks_input ${source} ${quote(`copy ${src} to ${p.dest}`)} ${quote(`copy: source ${src} does not exist on the host`)}`)
    lines.push(`if [ -d ${source} ]; then`)
    // A directory on the host: its tree, directories made as needed, every file installed like one file.
    const base = src.endsWith('/') ? quote(p.dest) : `${quote(p.dest.replace(/\/+$/, ''))}/${quote(baseName(src))}`
    lines.push(
      `  _ks=${source}; _kb=${base}`,
      `  [ -d "$_kb" ] || { ks_changed "create directory $_kb"; ks_check || mkdir -p "$_kb" || exit 1; }`,
      '  cd "$_ks" || exit 1',
      '  find . -mindepth 1 -type d | while IFS= read -r _kr; do _kr=${_kr#./}; [ -d "$_kb/$_kr" ] || { ks_changed "create directory $_kb/$_kr"; ks_check || mkdir -p "$_kb/$_kr" || exit 1; }; done || exit 1',
      `  find . -type f | while IFS= read -r _kr; do _kr=\${_kr#./}; ${p.mode === 'preserve' ? '_kpm=$(stat -c %a "$_ks/$_kr"); ' : ''}${install('"$_ks/$_kr"', '"$_kb/$_kr"', modeArg())}; done || exit 1`,
      '  exit 0',
      'fi',
      `[ -f ${source} ] || ks_fail ${quote(`copy: source ${src} is not a regular file`)}`,
      ...intoDir(p.dest, src),
    )
    if (p.mode === 'preserve') lines.push(`_kpm=$(stat -c %a ${source}) || exit 1`)
    if (p.validate) lines.push(validateCommand(p.validate, source, ctx.where))
    lines.push(install(source, '"$_kdst"', modeArg()))
    return { script: lines.join('\n'), payloads }
  },
}

/** "$_kdst": dest, or the source's name inside dest when dest is a directory (made first when it ends in /). */
function intoDir(dest: string, src: string): string[] {
  const lines = [`_kdst=${quote(dest)}`]
  if (dest.endsWith('/')) lines.push(makeDir(dest))
  lines.push(`if [ -d "$_kdst" ]; then _kdst="\${_kdst%/}"/${quote(baseName(src))}; fi`)
  return lines
}

function makeDir(dir: string): string {
  const d = quote(dir)
  return `if [ ! -d ${d} ]; then ks_changed ${quote(`create directory ${dir}`)}; ks_check || mkdir -p ${d} || exit 1; fi`
}
