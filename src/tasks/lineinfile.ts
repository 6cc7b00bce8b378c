// lineinfile: make sure one line is in a file (or gone), replacing the line a regexp matches, like Ansible.

import { PlaybookError } from '../engine/errors.js'
import type { RemoteTaskType } from '../engine/task.js'
import { lineEditScript } from './shared/line-edit.js'
import { hostRegex, pcreLines } from './shared/host-regex.js'
import { diffPrologue } from './shared/shell-args.js'

export interface LineinfileParams {
  path: string
  regexp?: string
  search_string?: string
  line?: string
  state: 'present' | 'absent'
  insertafter?: string
  insertbefore?: string
  create: boolean
  backrefs: boolean
  firstmatch: boolean
  mode?: string
  owner?: string
  group?: string
}

export const lineinfile: RemoteTaskType<LineinfileParams> = {
  kind: 'remote',
  name: 'lineinfile',
  supportsCheck: true,
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'destfile', 'name'] },
    regexp: { type: 'string', aliases: ['regex'] },
    search_string: { type: 'string' },
    line: { type: 'string', aliases: ['value'] },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present' },
    insertafter: { type: 'string' },
    insertbefore: { type: 'string' },
    create: { type: 'bool', default: false },
    backrefs: { type: 'bool', default: false },
    firstmatch: { type: 'bool', default: false },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
  },
  validate(p, where) {
    const bad = (what: string, hint: string) => new PlaybookError(`lineinfile: ${what}`, where, hint)
    if (p.regexp !== undefined && p.search_string !== undefined) throw bad('regexp and search_string exclude each other', 'give one of them')
    if (p.insertafter !== undefined && p.insertbefore !== undefined) throw bad('insertafter and insertbefore exclude each other', 'give one of them')
    if (p.state === 'present' && p.line === undefined) throw bad('state=present needs "line"', 'add line: <the line>')
    if (p.state === 'absent' && p.line === undefined && p.regexp === undefined && p.search_string === undefined) {
      throw bad('state=absent needs "line", "regexp" or "search_string"', 'say which lines to remove')
    }
    if (p.backrefs && p.regexp === undefined) throw bad('backrefs needs "regexp"', 'add regexp: with groups the line refers to')
  },
  plan(p, ctx) {
    const file = '"$([ -f "$_kp" ] && printf %s "$_kp" || printf %s /dev/null)"'
    const pre: string[] = []
    const re = p.regexp !== undefined ? hostRegex(p.regexp) : undefined
    const match = re ? (re.kind === 'ere' ? 're' : 'lines') : p.search_string !== undefined ? 'str' : 'line'
    const pat = re ? (re.kind === 'ere' ? re.ere : '') : p.search_string ?? ''
    if (re?.kind === 'pcre') pre.push(...pcreLines('KS_PATLINES', re.pcre, file, `lineinfile: regexp ${JSON.stringify(p.regexp)}`), 'export KS_PATLINES')
    const insRaw = p.insertafter ?? p.insertbefore
    let ins = insRaw ?? ''
    if (insRaw !== undefined && insRaw !== 'BOF' && insRaw !== 'EOF') {
      const r = hostRegex(insRaw)
      if (r.kind === 'ere') ins = r.ere
      else {
        ins = ''
        pre.push(...pcreLines('KS_INSLINES', r.pcre, file, `lineinfile: ${JSON.stringify(insRaw)}`), 'export KS_INSLINES')
      }
    }
    const script = lineEditScript({
      ...p, match, pat, line: p.line ?? '', ins, insKind: p.insertbefore !== undefined ? 'before' : 'after',
      pcre: re?.kind === 'pcre' ? re.pcre : undefined, before: pre,
    })
    return { script: diffPrologue(ctx) + script }
  },
}
