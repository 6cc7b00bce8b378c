// The Python methods kubespray calls on strings, lists and dicts (`x.split(',')`, `d.get(k, v)`).
import { ExprError } from '../errors.js'
import { isDict, pyEquals, pyStr, typeName } from './python.js'

type Method = (self: never, args: unknown[], kwargs: Record<string, unknown>) => unknown

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ExprError(`${what} needs a string argument, not ${typeName(v)}`)
  return v
}

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars == null ? ' \t\n\r\x0b\x0c' : str(chars, 'strip()')
  let a = 0
  let b = s.length
  if (left) while (a < b && set.includes(s[a]!)) a++
  if (right) while (b > a && set.includes(s[b - 1]!)) b--
  return s.slice(a, b)
}

export function pySplit(s: string, sep: unknown, maxsplit: unknown): string[] {
  const max = maxsplit == null ? -1 : Number(maxsplit)
  if (sep == null) {
    const parts = s.trim().split(/\s+/).filter((x) => x !== '')
    if (max < 0 || parts.length <= max + 1) return parts
    // Re-split keeping the remainder intact, as Python does.
    const out: string[] = []
    let rest = s.replace(/^\s+/, '')
    for (let i = 0; i < max; i++) {
      const m = /\s+/.exec(rest)
      if (!m) break
      out.push(rest.slice(0, m.index))
      rest = rest.slice(m.index + m[0].length)
    }
    out.push(rest)
    return out
  }
  const d = str(sep, 'split()')
  if (d === '') throw new ExprError('split() separator cannot be empty')
  const parts = s.split(d)
  if (max < 0 || parts.length <= max + 1) return parts
  return [...parts.slice(0, max), parts.slice(max).join(d)]
}

function prefixes(arg: unknown): string[] {
  return Array.isArray(arg) ? arg.map((x) => str(x, 'startswith()/endswith()')) : [str(arg, 'startswith()/endswith()')]
}

const STRING_METHODS: Record<string, (s: string, a: unknown[], kw: Record<string, unknown>) => unknown> = {
  split: (s, a, kw) => pySplit(s, a[0] ?? kw.sep, a[1] ?? kw.maxsplit),
  rsplit: (s, a, kw) => {
    const sep = a[0] ?? kw.sep
    const max = Number(a[1] ?? kw.maxsplit ?? -1)
    const parts = pySplit(s, sep, -1)
    if (max < 0 || parts.length <= max + 1 || sep == null) return parts
    const d = sep as string
    return [parts.slice(0, parts.length - max).join(d), ...parts.slice(parts.length - max)]
  },
  splitlines: (s) => s.split(/\r\n|\r|\n/).filter((x, i, arr) => !(i === arr.length - 1 && x === '')),
  startswith: (s, a) => prefixes(a[0]).some((p) => s.startsWith(p)),
  endswith: (s, a) => prefixes(a[0]).some((p) => s.endsWith(p)),
  replace: (s, a) => {
    const from = str(a[0], 'replace()')
    const to = str(a[1], 'replace()')
    const count = a[2] == null ? -1 : Number(a[2])
    if (count < 0) return s.split(from).join(to)
    const parts = s.split(from)
    return parts.slice(0, count + 1).join(to) + (parts.length > count + 1 ? from + parts.slice(count + 1).join(from) : '')
  },
  strip: (s, a) => stripChars(s, a[0], true, true),
  lstrip: (s, a) => stripChars(s, a[0], true, false),
  rstrip: (s, a) => stripChars(s, a[0], false, true),
  lower: (s) => s.toLowerCase(),
  upper: (s) => s.toUpperCase(),
  capitalize: (s) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  title: (s) => s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  join: (s, a) => {
    if (!Array.isArray(a[0])) throw new ExprError('join() needs a list')
    return a[0].map((x) => str(x, 'join()')).join(s)
  },
  find: (s, a) => s.indexOf(str(a[0], 'find()')),
  count: (s, a) => s.split(str(a[0], 'count()')).length - 1,
  isdigit: (s) => /^[0-9]+$/.test(s),
  isalpha: (s) => /^[A-Za-z]+$/.test(s),
  isalnum: (s) => /^[A-Za-z0-9]+$/.test(s),
  zfill: (s, a) => s.padStart(Number(a[0]), '0'),
  format: (s, a, kw) => {
    let auto = 0
    return s.replace(/\{([^{}]*)\}/g, (_m, key: string) => {
      if (key === '') return pyStr(a[auto++])
      if (/^\d+$/.test(key)) return pyStr(a[Number(key)])
      return pyStr(kw[key])
    })
  },
}

const LIST_METHODS: Record<string, (l: unknown[], a: unknown[]) => unknown> = {
  index: (l, a) => {
    const i = l.findIndex((x) => pyEquals(x, a[0]))
    if (i < 0) throw new ExprError(`${pyStr(a[0])} is not in the list`)
    return i
  },
  count: (l, a) => l.filter((x) => pyEquals(x, a[0])).length,
}

const DICT_METHODS: Record<string, (d: Record<string, unknown>, a: unknown[]) => unknown> = {
  keys: (d) => Object.keys(d),
  values: (d) => Object.values(d),
  items: (d) => Object.entries(d),
  get: (d, a) => (Object.hasOwn(d, String(a[0])) ? d[String(a[0])] : (a[1] ?? null)),
}

export function callMethod(obj: unknown, name: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  let table: Record<string, Method> | undefined
  if (typeof obj === 'string') table = STRING_METHODS as Record<string, Method>
  else if (Array.isArray(obj)) table = LIST_METHODS as Record<string, Method>
  else if (isDict(obj)) {
    // A dict key holding a value wins over a method of the same name only for attribute access, not calls.
    table = DICT_METHODS as Record<string, Method>
  }
  const m = table && Object.hasOwn(table, name) ? table[name] : undefined
  if (!m) throw new ExprError(`method '${name}' of ${typeName(obj)} is not supported by kubeseed`, undefined, 'use a filter instead, e.g. | split, | replace, | dict2items')
  return m(obj as never, args, kwargs)
}
