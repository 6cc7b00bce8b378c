// String filters: case, trimming, replacing, regexes, paths, shell quoting.
import { PyFloat } from '../py-float.js'
import { ExprError } from '../errors.js'
import { quote } from '../quote.js'
import { pythonRegex } from './jinja-tests.js'
import { pySplit } from './methods.js'
import { pyStr, typeName } from './python.js'
import type { Filter } from './filter-types.js'

function str(v: unknown, filter: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v instanceof PyFloat) return pyStr(v)
  throw new ExprError(`filter '${filter}' needs a string, not ${typeName(v)}`)
}

function regex(pattern: unknown, kw: Record<string, unknown>, global: boolean): RegExp {
  let flags = global ? 'g' : ''
  if (kw.ignorecase === true) flags += 'i'
  if (kw.multiline === true) flags += 'm'
  try {
    return new RegExp(pythonRegex(String(pattern)), flags)
  } catch (e) {
    throw new ExprError(`invalid regular expression '${String(pattern)}': ${(e as Error).message}`)
  }
}

/** Python replacement syntax (\1, \g<1>, \g<name>) to JavaScript's ($1, $<name>). */
function jsReplacement(r: string): string {
  return r.replace(/\$|\\g<(\w+)>|\\(\d{1,2})|\\(.)/g, (m, name: string | undefined, num: string | undefined, esc: string | undefined) => {
    if (m === '$') return '$$'
    if (name !== undefined) return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`
    if (num !== undefined) return `$${num}`
    return esc === 'n' ? '\n' : esc === 't' ? '\t' : esc === '\\' ? '\\' : m
  })
}

function regexSearch(value: unknown, args: unknown[], kw: Record<string, unknown>): unknown {
  const re = regex(args[0], kw, false)
  const m = re.exec(str(value, 'regex_search'))
  if (!m) return null
  const groups = args.slice(1)
  if (!groups.length) return m[0]
  return groups.map((g) => {
    const s = String(g)
    const num = /^\\(\d+)$/.exec(s)
    if (num) return m[Number(num[1])] ?? null
    const named = /^\\g<(\w+)>$/.exec(s)
    if (named) return m.groups?.[named[1]!] ?? null
    throw new ExprError(`regex_search: unknown group argument '${s}'`, undefined, "use '\\\\1' or '\\\\g<name>'")
  })
}

function regexFindall(value: unknown, args: unknown[], kw: Record<string, unknown>): unknown[] {
  const re = regex(args[0], kw, true)
  const out: unknown[] = []
  for (const m of str(value, 'regex_findall').matchAll(re)) {
    if (m.length === 1) out.push(m[0])
    else if (m.length === 2) out.push(m[1] ?? '')
    else out.push(m.slice(1).map((x) => x ?? ''))
  }
  return out
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase()
}

export const TEXT_FILTERS: Record<string, Filter> = {
  lower: (v) => str(v, 'lower').toLowerCase(),
  upper: (v) => str(v, 'upper').toUpperCase(),
  capitalize: (v) => capitalize(str(v, 'capitalize')),
  title: (v) => str(v, 'title').toLowerCase().replace(/(^|[^A-Za-z0-9'])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  trim: (v, a) => {
    const s = str(v, 'trim')
    if (a[0] == null) return s.trim()
    const chars = String(a[0])
    let i = 0
    let j = s.length
    while (i < j && chars.includes(s[i]!)) i++
    while (j > i && chars.includes(s[j - 1]!)) j--
    return s.slice(i, j)
  },
  replace: (v, a) => {
    const s = str(v, 'replace')
    const from = String(a[0])
    const to = String(a[1])
    if (a[2] == null) return s.split(from).join(to)
    const parts = s.split(from)
    const n = Number(a[2])
    return parts.slice(0, n + 1).join(to) + (parts.length > n + 1 ? from + parts.slice(n + 1).join(from) : '')
  },
  regex_replace: (v, a, kw) => {
    const count = Number(kw.count ?? a[2] ?? 0)
    const re = regex(a[0], kw, count === 0)
    const rep = jsReplacement(String(a[1] ?? kw.replacement ?? ''))
    let s = str(v, 'regex_replace')
    if (count === 0) return s.replace(re, rep)
    for (let i = 0; i < count; i++) {
      const next = s.replace(re, rep)
      if (next === s) break
      s = next
    }
    return s
  },
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: (v) => str(v, 'regex_escape').replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
  split: (v, a) => pySplit(str(v, 'split'), a[0] ?? null, a[1] ?? -1),
  string: (v) => pyStr(v),
  quote: (v) => quote(str(v, 'quote')),
  basename: (v) => {
    const s = str(v, 'basename')
    return s.slice(s.lastIndexOf('/') + 1)
  },
  dirname: (v) => {
    const s = str(v, 'dirname')
    const i = s.lastIndexOf('/')
    if (i < 0) return ''
    const head = s.slice(0, i)
    // Python's os.path.dirname keeps a lone root slash and strips trailing ones otherwise.
    return head === '' || /^\/+$/.test(head) ? s.slice(0, i + 1) : head.replace(/\/+$/, '')
  },
  path_join: (v) => {
    const parts = Array.isArray(v) ? v.map((x) => str(x, 'path_join')) : [str(v, 'path_join')]
    return parts.reduce((acc, p) => (p.startsWith('/') || acc === '' ? p : acc.endsWith('/') ? acc + p : `${acc}/${p}`), '')
  },
  indent: (v, a, kw) => {
    const width = Number(a[0] ?? kw.width ?? 4)
    const first = (a[1] ?? kw.first ?? false) === true
    const blank = (a[2] ?? kw.blank ?? false) === true
    const pad = ' '.repeat(width)
    return str(v, 'indent')
      .split('\n')
      .map((line, i) => ((i === 0 && !first) || (!blank && line === '') ? line : pad + line))
      .join('\n')
  },
  center: (v, a) => {
    const s = str(v, 'center')
    const w = Number(a[0] ?? 80)
    const left = Math.floor((w - s.length) / 2)
    return w <= s.length ? s : ' '.repeat(left) + s + ' '.repeat(w - s.length - left)
  },
  format: (v, a) => {
    let i = 0
    return str(v, 'format').replace(/%[-0-9.]*([sdfi%])/g, (m, c: string) => (c === '%' ? '%' : c === 's' ? pyStr(a[i++]) : String(c === 'f' ? Number(a[i++]) : Math.trunc(Number(a[i++])))))
  },
  comment: (v) =>
    str(v, 'comment')
      .split('\n')
      .map((l) => `# ${l}`)
      .join('\n'),
  safe: (v) => v,
}
