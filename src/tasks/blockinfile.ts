// blockinfile: keep a block of lines between two marker lines in a file (insert, update or remove it).

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { BLOCK_EDIT_AWK } from './shared/block-edit-awk.js'
import { hostRegex, pcreInsertLine, pcreLines } from './shared/host-regex.js'
import { awkEditScript, diffPrologue } from './shared/shell-args.js'

export interface BlockinfileParams {
  path: string
  block: string
  marker: string
  marker_begin: string
  marker_end: string
  state: 'present' | 'absent'
  insertafter?: string
  insertbefore?: string
  create: boolean
  mode?: string
  owner?: string
  group?: string
}

export const blockinfile: RemoteTaskType<BlockinfileParams> = {
  kind: 'remote',
  name: 'blockinfile',
  supportsCheck: true,
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    block: { type: 'string', default: '', aliases: ['content'] },
    marker: { type: 'string', default: '# {mark} ANSIBLE MANAGED BLOCK' },
    marker_begin: { type: 'string', default: 'BEGIN' },
    marker_end: { type: 'string', default: 'END' },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present' },
    insertafter: { type: 'string' },
    insertbefore: { type: 'string' },
    create: { type: 'bool', default: false },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
  },
  validate(p, where) {
    if (p.insertafter !== undefined && p.insertbefore !== undefined) {
      throw new PlaybookError('blockinfile: insertafter and insertbefore exclude each other', where, 'give one of them')
    }
    if (!p.marker.includes('{mark}')) {
      throw new PlaybookError(`blockinfile: marker "${p.marker}" has no {mark}`, where, 'e.g. marker: "# {mark} kubeseed"')
    }
  },
  plan(p, ctx) {
    const path = quote(p.path)
    const insRaw = p.insertafter ?? p.insertbefore
    let ins = insRaw ?? ''
    const pre: string[] = []
    if (insRaw !== undefined && insRaw !== 'BOF' && insRaw !== 'EOF') {
      const r = hostRegex(insRaw)
      const file = `"$([ -f ${path} ] && printf %s ${path} || printf %s /dev/null)"`
      const what = `blockinfile: ${JSON.stringify(insRaw)}`
      if (r.kind === 'ere') ins = r.ere
      else {
        ins = ''
        // As Ansible: a regexp with the (?m) flag is searched in the whole text, any other line by line.
        if (r.multiline) pre.push(...pcreInsertLine('KS_INSAT', r.pcre, file, p.insertafter !== undefined, what), 'export KS_INSAT')
        else pre.push(...pcreLines('KS_INSLINES', r.pcre, file, what), 'export KS_INSLINES')
      }
    }
    const env = [
      `KS_BEGIN=${quote(p.marker.replace('{mark}', p.marker_begin))}`,
      `KS_END=${quote(p.marker.replace('{mark}', p.marker_end))}`,
      `KS_BLOCK=${quote(p.block)}`,
      `KS_STATE=${p.state}`,
      `KS_INS=${quote(ins)}`,
      `KS_INSKIND=${p.insertbefore !== undefined ? 'before' : 'after'}`,
    ]
    const lines = [diffPrologue(ctx), `export ${env.join(' ')}`]
    lines.push(`if [ -e ${path} ] && [ ! -f ${path} ]; then ks_fail ${quote(`${p.path} is not a regular file`)}; fi`)
    if (p.state === 'absent') lines.push(`[ -f ${path} ] || exit 0`)
    else if (!p.create) lines.push(`ks_input ${path} ${quote(`edit ${p.path}`)} ${quote(`${p.path} does not exist (set create: yes to create it)`)}`)
    lines.push(...pre)
    lines.push(...awkEditScript(BLOCK_EDIT_AWK, path, p, `blockinfile: editing ${p.path} failed`))
    return { script: lines.join('\n') }
  },
}
