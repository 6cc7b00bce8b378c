// lineinfile: make sure one line is in a file (or gone), replacing the line a regexp matches, like Ansible.

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { LINE_EDIT_AWK } from './line-edit-awk.js'
import { pythonTemplateToSed, pythonToEre, RegexTranslationError } from './python-regex.js'
import { attrArgs, diffPrologue, parentDir } from './shell-args.js'

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
  aliases: ['ansible.builtin.lineinfile'],
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
    const ere = (re: string, what: string): string => {
      try {
        return pythonToEre(re)
      } catch (e) {
        if (e instanceof RegexTranslationError) {
          throw new PlaybookError(`lineinfile: ${what} ${JSON.stringify(re)}: ${e.message}`, ctx.where, 'rewrite it with POSIX ERE features')
        }
        throw e
      }
    }
    const mode = p.regexp !== undefined ? 're' : p.search_string !== undefined ? 'str' : 'line'
    const pat = p.regexp !== undefined ? ere(p.regexp, 'regexp') : p.search_string ?? ''
    const insRaw = p.insertafter ?? p.insertbefore
    const ins = insRaw === undefined || insRaw === 'BOF' || insRaw === 'EOF' ? insRaw ?? '' : ere(insRaw, 'insertafter/insertbefore')
    const path = quote(p.path)
    const env = [
      `KS_MODE=${mode}`, `KS_PAT=${quote(pat)}`, `KS_STATE=${p.state}`, `KS_INS=${quote(ins)}`,
      `KS_INSKIND=${p.insertbefore !== undefined ? 'before' : 'after'}`, `KS_BACKREFS=${p.backrefs ? 1 : 0}`,
      `KS_FIRST=${p.firstmatch ? 1 : 0}`,
    ]
    const lines = [diffPrologue(ctx), `export ${env.join(' ')}`, `export KS_LINE=${quote(p.line ?? '')}`]
    lines.push(`if [ -e ${path} ] && [ ! -f ${path} ]; then ks_fail ${quote(`${p.path} is not a regular file`)}; fi`)
    if (p.state === 'absent') {
      lines.push(`[ -f ${path} ] || exit 0`)
    } else if (!p.create) {
      lines.push(`[ -f ${path} ] || ks_fail ${quote(`${p.path} does not exist (set create: yes to create it)`)}`)
    }
    const src = `$([ -f ${path} ] && printf %s ${path} || printf %s /dev/null)`
    if (p.backrefs) {
      // The new line is the regexp's match expanded with its groups, done by sed on the last matching line.
      const sedExpr = `s\x01${pat}\x01\x02${pythonTemplateToSed(p.line ?? '')}\x02\x01`
      lines.push(`_km=$(awk 'BEGIN { p = ENVIRON["KS_PAT"] } $0 ~ p { l = $0; f = 1 } END { if (f) print l; else exit 3 }' ${path}) || exit 0`)
      lines.push(`_ks=$(printf '%s\\n' "$_km" | sed -E ${quote(sedExpr)}) || ks_fail 'lineinfile: sed failed on the backrefs template'`)
      lines.push(`_kx=$(printf '\\002'); _ks=\${_ks#*"$_kx"}; KS_LINE=\${_ks%"$_kx"*}; export KS_LINE`)
    }
    lines.push(
      '_kt=$(mktemp) || exit 1',
      `trap 'rm -f "$_kt"' EXIT`,
      'export KS_OUT="$_kt"',
      `_kmsg=$(awk ${quote(LINE_EDIT_AWK)} "${src}"); _krc=$?`,
      `case $_krc in`,
      `  0) [ -n "$_kmsg" ] && echo "$_kmsg"`,
    )
    if (p.state === 'present' && p.create) {
      lines.push(`     [ -f ${path} ] || ks_check || mkdir -p ${quote(parentDir(p.path))} || exit 1`)
    }
    lines.push(
      `     ks_put "$_kt" ${path} ${attrArgs(p)} ;;`,
      `  3) [ ! -f ${path} ] || ks_attrs ${path} ${attrArgs(p)} ;;`,
      `  *) ks_fail ${quote(`lineinfile: editing ${p.path} failed`)} ;;`,
      'esac',
    )
    return { script: lines.join('\n') }
  },
}
