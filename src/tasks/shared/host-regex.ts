// Where a Python regex (Ansible's regexp, insertafter, ...) runs on the host. One that POSIX ERE expresses
// exactly runs in awk/sed; any other (back-references, lookarounds, (?m), \b, non-greedy...) runs in
// `grep -P` (PCRE, which reads Python's syntax), found in GNU grep on every mainstream distribution. A host
// without it fails the step with a line saying so, never matching wrongly.

import { quote } from '../../engine/quote.js'
import { pythonToEre, RegexTranslationError } from './python-regex.js'

export type HostRegex = { kind: 'ere'; ere: string } | { kind: 'pcre'; pcre: string; multiline: boolean }

export function hostRegex(re: string): HostRegex {
  try {
    return { kind: 'ere', ere: pythonToEre(re) }
  } catch (e) {
    if (!(e instanceof RegexTranslationError)) throw e
  }
  return { kind: 'pcre', pcre: pythonToPcre(re), multiline: /^\(\?[aiLmsux]*m[aiLmsux]*\)/.test(re) }
}

/** PCRE reads Python's syntax except `\Z` (Python: end of text), which is PCRE's `\z`. */
export function pythonToPcre(re: string): string {
  let out = ''
  for (let i = 0; i < re.length; i++) {
    if (re[i] === '\\' && i + 1 < re.length) {
      out += re[i + 1] === 'Z' ? '\\z' : re.slice(i, i + 2)
      i++
    } else out += re[i]
  }
  return out
}

function needPcre(what: string): string {
  return `printf 'x\\n' | grep -qP x 2>/dev/null || ks_fail ${quote(`${what} needs grep -P (PCRE) on the host, which this host lacks: install GNU grep, or rewrite the regexp with POSIX ERE features`)}`
}

/** Shell: the numbers of the lines of `file` (a shell word) that `pcre` matches, space separated, in $`name`. */
export function pcreLines(name: string, pcre: string, file: string, what: string): string[] {
  return [
    needPcre(what),
    `${name}=$(grep -nP -e ${quote(pcre)} -- ${file}); [ $? -le 1 ] || ks_fail ${quote(`${what}: grep -P refused the regexp`)}`,
    `${name}=$(printf '%s\\n' "$${name}" | cut -d: -f1 | tr '\\n' ' ')`,
  ]
}

/**
 * Shell: Python's re.search of a (?m) regexp over the whole text of `file`, as blockinfile uses it: the
 * 1-based line before which to insert (after the match's last line, or before its first), in $`name`;
 * empty when nothing matches.
 */
export function pcreInsertLine(name: string, pcre: string, file: string, after: boolean, what: string): string[] {
  const q = quote(pcre)
  return [
    needPcre(what),
    `${name}=; grep -zqP -e ${q} -- ${file}; _kq=$?; [ $_kq -le 1 ] || ks_fail ${quote(`${what}: grep -P refused the regexp`)}`,
    'if [ $_kq = 0 ]; then',
    `  _kb=$(grep -zoPb -e ${q} -- ${file} | head -z -n 1 | cut -z -d: -f1 | tr -d '\\000')`,
    after ? `  _kb=$((_kb + $(grep -zoP -e ${q} -- ${file} | head -z -n 1 | wc -c) - 1))` : ':',
    `  ${name}=$(($(head -c "$_kb" ${file} | tr -cd '\\n' | wc -c) + ${after ? 2 : 1}))`,
    'fi',
  ]
}
