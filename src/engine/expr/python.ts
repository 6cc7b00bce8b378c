// Python value semantics for Jinja values: truthiness, str(), repr(), ==, ordering.
// Values are JSON-like: string, number, boolean, null (None), arrays (list/tuple), plain objects (dict).
import { ExprError } from '../errors.js'
import { PyFloat } from '../py-float.js'
import { pyRepr, pyStr } from '../python-repr.js'

export { pyRepr, pyStr }

export type Dict = Record<string, unknown>

export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat)
}

/** A number as JavaScript computes with it (PyFloat unwrapped), or undefined. */
export function numberOf(v: unknown): number | undefined {
  return typeof v === 'number' ? v : v instanceof PyFloat ? v.value : undefined
}

export function typeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType'
  if (typeof v === 'boolean') return 'bool'
  if (v instanceof PyFloat) return 'float'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float'
  if (typeof v === 'string') return 'str'
  if (Array.isArray(v)) return 'list'
  if (typeof v === 'function') return 'function'
  return 'dict'
}

export function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false
  if (typeof v === 'number') return v !== 0
  if (v instanceof PyFloat) return v.value !== 0
  if (typeof v === 'string') return v.length > 0
  if (Array.isArray(v)) return v.length > 0
  if (isDict(v)) return Object.keys(v).length > 0
  return true
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === undefined) a = null
  if (b === undefined) b = null
  const na = typeof a === 'boolean' ? Number(a) : numberOf(a) ?? a
  const nb = typeof b === 'boolean' ? Number(b) : numberOf(b) ?? b
  if (typeof na === 'number' && typeof nb === 'number') return na === nb
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => pyEquals(x, b[i]))
  if (isDict(a) && isDict(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]))
  }
  return false
}

/** Python ordering: numbers (bools count), strings, lists element-wise; anything else is a TypeError. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  const na = typeof a === 'boolean' ? Number(a) : numberOf(a) ?? a
  const nb = typeof b === 'boolean' ? Number(b) : numberOf(b) ?? b
  if (typeof na === 'number' && typeof nb === 'number') return na < nb ? -1 : na > nb ? 1 : 0
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (pyEquals(a[i], b[i])) continue
      return pyCompare(a[i], b[i], op)
    }
    return a.length - b.length === 0 ? 0 : a.length < b.length ? -1 : 1
  }
  throw new ExprError(`'${op}' is not supported between ${typeName(a)} and ${typeName(b)}`, undefined, 'convert both sides with | int or | string first')
}

export function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new ExprError(`'in <string>' needs a string on the left, not ${typeName(item)}`)
    return container.includes(item)
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item))
  if (isDict(container)) return typeof item === 'string' || typeof item === 'number' ? Object.hasOwn(container, String(item)) : false
  throw new ExprError(`'in' needs a string, list or dict on the right, not ${typeName(container)}`)
}

/** Iterate like Python: lists, dict keys, string characters. */
export function iterate(v: unknown, what = 'value'): unknown[] {
  if (Array.isArray(v)) return v
  if (typeof v === 'string') return [...v]
  if (isDict(v)) return Object.keys(v)
  throw new ExprError(`${what} of type ${typeName(v)} is not iterable`, undefined, 'iterate over a list, dict or string')
}
