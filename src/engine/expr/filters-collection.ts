// Filters over lists and dicts, plus type conversions and defaults.
import { PyFloat, pyFloat } from '../py-float.js'
import { ExprError } from '../errors.js'
import { getItem } from './get-item.js'
import type { Filter } from './filter-types.js'
import { isDict, iterate, pyCompare, pyEquals, pyStr, truthy, typeName, type Dict } from './python.js'
import { isUndefined, need, Undefined } from './undefined.js'
import { setEntry } from '../dict-entry.js'

function list(v: unknown, filter: string): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string' || isDict(v)) return iterate(v)
  throw new ExprError(`filter '${filter}' needs a list, not ${typeName(v)}`)
}

function dict(v: unknown, filter: string): Dict {
  if (isDict(v)) return v
  throw new ExprError(`filter '${filter}' needs a dict, not ${typeName(v)}`)
}

/** `a.b.0` attribute paths as map(attribute=) and selectattr use them. */
export function attrPath(item: unknown, path: string): unknown {
  let cur: unknown = item
  for (const part of path.split('.')) {
    if (isUndefined(cur)) return cur
    cur = getItem(cur, isDict(cur) || !/^-?\d+$/.test(part) ? part : Number(part), path)
  }
  return cur
}

function toInt(v: unknown, dflt: unknown, base: number): unknown {
  if (typeof v === 'boolean') return Number(v)
  if (typeof v === 'number') return Math.trunc(v)
  if (v instanceof PyFloat) return v.value
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '')
    if (base !== 10) {
      const body = s.replace(/^0[xob]/i, '')
      const n = parseInt(body, base)
      if (!Number.isNaN(n) && new RegExp(`^[-+]?[0-9a-z]+$`, 'i').test(body)) return n
      return dflt
    }
    if (/^[-+]?\d+$/.test(s)) return Number(s)
    if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return Math.trunc(Number(s))
  }
  return dflt
}

function toFloat(v: unknown, dflt: unknown): unknown {
  if (typeof v === 'boolean') return pyFloat(Number(v))
  if (typeof v === 'number') return pyFloat(v)
  if (v instanceof PyFloat) return v
  if (typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v)) return pyFloat(Number(v))
  if (typeof v === 'string' && /^\s*[-+]?(inf|infinity|nan)\s*$/i.test(v)) return Number(v.trim().replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN'))
  return dflt
}

/** Ansible's bool filter: yes/on/1/true are true, everything else false. */
export function toBool(v: unknown): boolean | null {
  if (v === null || typeof v === 'boolean') return v
  const s = typeof v === 'string' ? v.toLowerCase().trim() : v
  return s === 'yes' || s === 'on' || s === '1' || s === 'true' || s === 1 || s === 'y' || s === 't'
}

function sortKey(caseSensitive: boolean, attribute: unknown) {
  return (x: unknown): unknown => {
    let v = attribute != null ? need(attrPath(x, String(attribute))) : x
    if (!caseSensitive && typeof v === 'string') v = v.toLowerCase()
    return v
  }
}

function uniq(items: unknown[], key: (x: unknown) => unknown = (x) => x): unknown[] {
  const out: unknown[] = []
  const keys: unknown[] = []
  for (const x of items) {
    const k = key(x)
    if (!keys.some((y) => pyEquals(y, k))) {
      keys.push(k)
      out.push(x)
    }
  }
  return out
}

function flatten(v: unknown[], levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = []
  for (const x of v) {
    if (Array.isArray(x) && (levels === null || levels > 0)) out.push(...flatten(x, levels === null ? null : levels - 1, skipNulls))
    else if (!(skipNulls && (x === null || x === 'None'))) out.push(x)
  }
  return out
}

function combine(a: Dict, b: Dict, recursive: boolean, listMerge: string): Dict {
  const out: Dict = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const old = Object.hasOwn(out, k) ? out[k] : undefined
    if (recursive && isDict(old) && isDict(v)) setEntry(out, k, combine(old, v, true, listMerge))
    else if (Array.isArray(old) && Array.isArray(v) && listMerge !== 'replace') {
      switch (listMerge) {
        case 'keep':
          break
        case 'append':
          setEntry(out, k, [...old, ...v])
          break
        case 'prepend':
          setEntry(out, k, [...v, ...old])
          break
        case 'append_rp':
          setEntry(out, k, [...old.filter((x) => !v.some((y) => pyEquals(x, y))), ...v])
          break
        case 'prepend_rp':
          setEntry(out, k, [...v, ...old.filter((x) => !v.some((y) => pyEquals(x, y)))])
          break
        default:
          throw new ExprError(`combine: list_merge '${listMerge}' is not one of replace, keep, append, prepend, append_rp, prepend_rp`)
      }
    } else setEntry(out, k, v)
  }
  return out
}

function minMax(v: unknown, kw: Dict, sign: 1 | -1): unknown {
  const items = list(v, sign > 0 ? 'max' : 'min')
  if (!items.length) return new Undefined('empty list', new ExprError(`filter '${sign > 0 ? 'max' : 'min'}' got an empty list`))
  const key = sortKey(kw.case_sensitive === true, kw.attribute)
  return items.reduce((best, x) => (pyCompare(key(x), key(best)) * sign > 0 ? x : best))
}

function selectBy(v: unknown, args: unknown[], kw: Dict, ctx: Parameters<Filter>[3], keep: boolean, attr: boolean): unknown[] {
  const items = list(v, attr ? 'selectattr' : 'select')
  const [first, ...rest] = args
  const attribute = attr ? String(first) : undefined
  const [testName, ...testArgs] = attr ? rest : args
  return items.filter((x) => {
    const val = attribute !== undefined ? attrPath(x, attribute) : x
    const ok = testName === undefined ? truthy(need(val)) : ctx.test(String(testName), val, testArgs, kw)
    return ok === keep
  })
}

export const COLLECTION_FILTERS: Record<string, Filter> = {
  default: (v, a) => {
    if (isUndefined(v)) return a[0] === undefined ? '' : a[0]
    if (a[1] === true && !truthy(v)) return a[0]
    return v
  },
  mandatory: (v, a) => {
    if (isUndefined(v)) throw a[0] != null ? new ExprError(String(a[0])) : new ExprError(`mandatory variable '${v.name}' is not defined`, undefined, 'set it in the inventory')
    return v
  },
  length: (v) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length
    if (isDict(v)) return Object.keys(v).length
    throw new ExprError(`filter 'length' needs a string, list or dict, not ${typeName(v)}`)
  },
  int: (v, a, kw) => toInt(v, a[0] ?? kw.default ?? 0, Number(a[1] ?? kw.base ?? 10)),
  float: (v, a, kw) => toFloat(v, a[0] ?? kw.default ?? 0),
  bool: (v) => toBool(v),
  list: (v) => [...list(v, 'list')],
  abs: (v) => Math.abs(Number(v)),
  round: (v, a, kw) => {
    const p = Number(a[0] ?? kw.precision ?? 0)
    const method = String(a[1] ?? kw.method ?? 'common')
    const f = 10 ** p
    const x = Number(v) * f
    const r = method === 'ceil' ? Math.ceil(x) : method === 'floor' ? Math.floor(x) : Math.sign(x) * Math.round(Math.abs(x))
    // Ansible's round gives a float, also for an int
    return pyFloat(r / f)
  },
  pow: (v, a) => Number(v) ** Number(a[0]),
  log: (v, a) => (a[0] == null ? Math.log(Number(v)) : Math.log(Number(v)) / Math.log(Number(a[0]))),
  root: (v, a) => Number(v) ** (1 / Number(a[0] ?? 2)),
  join: (v, a, kw) => {
    const items = list(v, 'join')
    const attr = a[1] ?? kw.attribute
    return items.map((x) => pyStr(attr != null ? need(attrPath(x, String(attr))) : x)).join(a[0] == null ? '' : pyStr(a[0]))
  },
  first: (v) => {
    const items = list(v, 'first')
    return items.length ? items[0] : new Undefined('first', new ExprError("filter 'first' got an empty list"))
  },
  last: (v) => {
    const items = list(v, 'last')
    return items.length ? items[items.length - 1] : new Undefined('last', new ExprError("filter 'last' got an empty list"))
  },
  min: (v, _a, kw) => minMax(v, kw, -1),
  max: (v, _a, kw) => minMax(v, kw, 1),
  sum: (v, a, kw) => {
    const attr = a[0] ?? kw.attribute
    let acc: unknown = a[1] ?? kw.start ?? 0
    for (const x of list(v, 'sum')) {
      const y = attr != null ? need(attrPath(x, String(attr))) : x
      if (Array.isArray(acc) && Array.isArray(y)) acc = [...acc, ...y]
      else acc = Number(acc) + Number(y)
    }
    return acc
  },
  sort: (v, a, kw) => {
    const reverse = (a[0] ?? kw.reverse) === true
    const key = sortKey((a[1] ?? kw.case_sensitive) === true, a[2] ?? kw.attribute)
    const out = [...list(v, 'sort')].sort((x, y) => pyCompare(key(x), key(y)))
    return reverse ? out.reverse() : out
  },
  unique: (v, a, kw) => uniq(list(v, 'unique'), sortKey((a[0] ?? kw.case_sensitive) === true, a[1] ?? kw.attribute)),
  reverse: (v) => (typeof v === 'string' ? [...v].reverse().join('') : [...list(v, 'reverse')].reverse()),
  flatten: (v, a, kw) => flatten(list(v, 'flatten'), (a[0] ?? kw.levels ?? null) as number | null, (kw.skip_nulls ?? true) === true),
  union: (v, a) => uniq([...list(v, 'union'), ...list(a[0], 'union')]),
  intersect: (v, a) => uniq(list(v, 'intersect').filter((x) => list(a[0], 'intersect').some((y) => pyEquals(x, y)))),
  difference: (v, a) => uniq(list(v, 'difference').filter((x) => !list(a[0], 'difference').some((y) => pyEquals(x, y)))),
  symmetric_difference: (v, a) => {
    const x = list(v, 'symmetric_difference')
    const y = list(a[0], 'symmetric_difference')
    return uniq([...x.filter((i) => !y.some((j) => pyEquals(i, j))), ...y.filter((i) => !x.some((j) => pyEquals(i, j)))])
  },
  dict2items: (v, a, kw) => {
    const k = String(a[0] ?? kw.key_name ?? 'key')
    const val = String(a[1] ?? kw.value_name ?? 'value')
    return Object.entries(dict(v, 'dict2items')).map(([x, y]) => ({ [k]: x, [val]: y }))
  },
  items2dict: (v, a, kw) => {
    const k = String(a[0] ?? kw.key_name ?? 'key')
    const val = String(a[1] ?? kw.value_name ?? 'value')
    const out: Dict = {}
    for (const item of list(v, 'items2dict')) {
      const d = dict(item, 'items2dict')
      if (!Object.hasOwn(d, k) || !Object.hasOwn(d, val)) throw new ExprError(`items2dict: an item lacks '${k}' or '${val}'`)
      setEntry(out, String(d[k]), d[val])
    }
    return out
  },
  items: (v) => Object.entries(dict(v, 'items')),
  dict: (v) => Object.fromEntries(list(v, 'dict').map((p) => (Array.isArray(p) ? [String(p[0]), p[1]] : [String(p), null]))),
  combine: (v, a, kw) => {
    const dicts = [v, ...a].flatMap((x) => (Array.isArray(x) ? x : [x]))
    return dicts.slice(1).reduce<Dict>((acc, d) => combine(acc, dict(d, 'combine'), kw.recursive === true, String(kw.list_merge ?? 'replace')), { ...dict(dicts[0], 'combine') })
  },
  map: (v, a, kw, ctx) => {
    const items = list(v, 'map')
    if (kw.attribute !== undefined) {
      return items.map((x) => {
        const r = attrPath(x, String(kw.attribute))
        return isUndefined(r) && Object.hasOwn(kw, 'default') ? kw.default : need(r)
      })
    }
    if (a[0] === undefined) throw new ExprError("filter 'map' needs a filter name or attribute=")
    const { attribute: _ignored, ...rest } = kw
    return items.map((x) => ctx.filter(String(a[0]), x, a.slice(1), rest))
  },
  select: (v, a, kw, ctx) => selectBy(v, a, kw, ctx, true, false),
  reject: (v, a, kw, ctx) => selectBy(v, a, kw, ctx, false, false),
  selectattr: (v, a, kw, ctx) => selectBy(v, a, kw, ctx, true, true),
  rejectattr: (v, a, kw, ctx) => selectBy(v, a, kw, ctx, false, true),
  zip: (v, a) => {
    const lists = [list(v, 'zip'), ...a.map((x) => list(x, 'zip'))]
    const n = Math.min(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_x, i) => lists.map((l) => l[i]))
  },
  zip_longest: (v, a, kw) => {
    const lists = [list(v, 'zip_longest'), ...a.map((x) => list(x, 'zip_longest'))]
    const n = Math.max(...lists.map((l) => l.length))
    return Array.from({ length: n }, (_x, i) => lists.map((l) => (i < l.length ? l[i] : (kw.fillvalue ?? null))))
  },
  ternary: (v, a) => (v === null && a.length > 2 ? a[2] : truthy(v) ? a[0] : a[1]),
  extract: (v, a) => {
    let cur = need(getItem(a[0], v, pyStr(v)))
    for (const key of (Array.isArray(a[1]) ? a[1] : a[1] === undefined ? [] : [a[1]])) cur = need(getItem(cur, key, `${pyStr(v)}.${pyStr(key)}`))
    return cur
  },
  subelements: (v, a) => {
    const out: unknown[] = []
    for (const item of list(v, 'subelements')) for (const sub of list(need(attrPath(item, String(a[0]))), 'subelements')) out.push([item, sub])
    return out
  },
  batch: (v, a) => {
    const items = list(v, 'batch')
    const n = Number(a[0])
    const out: unknown[][] = []
    for (let i = 0; i < items.length; i += n) out.push(items.slice(i, i + n))
    if (a[1] !== undefined && out.length && out[out.length - 1]!.length < n) out[out.length - 1]!.push(...Array<unknown>(n - out[out.length - 1]!.length).fill(a[1]))
    return out
  },
  type_debug: (v) => typeName(v),
}
