// Ansible's regexp options are Python regexes; on the host they run in awk/sed (POSIX ERE). This turns the
// common Python forms into ERE and refuses the ones ERE cannot express, instead of matching wrongly.

const CLASS_ESCAPES: Record<string, string> = {
  d: '0-9',
  s: '[:space:]',
  w: '[:alnum:]_',
}

const ESCAPES: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  s: '[[:space:]]',
  S: '[^[:space:]]',
  w: '[[:alnum:]_]',
  W: '[^[:alnum:]_]',
  t: '\t',
  n: '\n',
}

export class RegexTranslationError extends Error {}

/** Python regex -> POSIX ERE (for mawk, gawk and GNU sed -E). Throws RegexTranslationError when impossible. */
export function pythonToEre(re: string): string {
  let out = ''
  let i = 0
  const unsupported = (what: string) => new RegexTranslationError(`${what} is not supported (regexes run as POSIX ERE on the host)`)
  while (i < re.length) {
    const c = re[i]
    if (c === '\\') {
      const e = re[i + 1]
      if (e === undefined) throw new RegexTranslationError('trailing backslash')
      if (ESCAPES[e]) out += ESCAPES[e]
      else if ('AZbBG'.includes(e)) throw unsupported(`\\${e}`)
      else if (/[0-9]/.test(e)) throw unsupported(`back-reference \\${e} inside the regex`)
      else if (/[A-Za-z]/.test(e)) throw unsupported(`escape \\${e}`)
      else out += `\\${e}`
      i += 2
      continue
    }
    if (c === '[') {
      let j = i + 1
      let cls = '['
      if (re[j] === '^') { cls += '^'; j++ }
      if (re[j] === ']') { cls += ']'; j++ }
      let closed = false
      let hasBackslash = false
      while (j < re.length) {
        const d = re[j]
        if (d === ']') { closed = true; j++; break }
        if (d === '\\') {
          const e = re[j + 1]
          if (e === undefined) break
          if (CLASS_ESCAPES[e]) cls += CLASS_ESCAPES[e]
          else if (e === 't') cls += '\t'
          else if (e === ']' || e === '-' || e === '^') throw unsupported(`escaped "${e}" inside [...]; put "]" first or "-" last instead`)
          else if (e === '\\') hasBackslash = true
          else if (/[A-Za-z0-9]/.test(e)) throw unsupported(`escape \\${e} inside [...]`)
          else cls += e
          j += 2
          continue
        }
        cls += d
        j++
      }
      if (!closed) throw new RegexTranslationError('unterminated [...]')
      // A backslash in a bracket expression goes last, where every ERE dialect takes it literally.
      out += `${cls}${hasBackslash ? '\\\\' : ''}]`
      i = j
      continue
    }
    if (c === '(' && re[i + 1] === '?') throw unsupported('(?...) groups (non-capturing, named, lookaround, flags)')
    if ('*+?}'.includes(c) && re[i + 1] === '?') throw unsupported('non-greedy quantifiers')
    out += c
    i++
  }
  return out
}

/** Python's match.expand template (\1, \g<1>) -> GNU sed replacement text. */
export function pythonTemplateToSed(tpl: string): string {
  let out = ''
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i]
    if (c === '\\') {
      const rest = tpl.slice(i)
      const g = /^\\g<(\d+)>/.exec(rest)
      if (g) {
        out += `\\${g[1]}`
        i += g[0].length - 1
        continue
      }
      const e = tpl[i + 1]
      if (e === undefined) { out += '\\\\'; continue }
      if (/[0-9]/.test(e) || e === 'n' || e === 't' || e === '\\') out += `\\${e}`
      else out += `\\\\${e}`
      i++
      continue
    }
    if (c === '&') out += '\\&'
    else if (c === '\n') out += '\\n'
    else out += c
  }
  return out
}
