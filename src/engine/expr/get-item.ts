// Python's `obj[key]` and `obj.attr` on Jinja values: a missing key or index gives an Undefined that says why.
import { ExprError } from '../errors.js'
import { isDict } from './python.js'
import { markUndefined, Undefined } from './undefined.js'

export function getItem(obj: unknown, key: unknown, text: string): unknown {
  if (isDict(obj)) {
    const k = typeof key === 'boolean' ? (key ? 'True' : 'False') : String(key)
    return Object.hasOwn(obj, k) ? obj[k] : new Undefined(text, markUndefined(new ExprError(`'${text}' is undefined: the dict has no key ${JSON.stringify(k)}`, undefined, 'check the key or use | default()')))
  }
  if ((Array.isArray(obj) || typeof obj === 'string') && typeof key === 'number' && Number.isInteger(key)) {
    const i = key < 0 ? obj.length + key : key
    if (i >= 0 && i < obj.length) return obj[i]
    return new Undefined(text, markUndefined(new ExprError(`'${text}' is undefined: index ${key} is out of range (length ${obj.length})`)))
  }
  return new Undefined(text)
}
