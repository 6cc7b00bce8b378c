// JSON text exactly as Python's json.dumps writes it (separators, ensure_ascii, sort_keys, indent).
import { ExprError } from '../errors.js'
import { floatText, PyFloat } from '../py-float.js'
import { isDict } from './python.js'

export interface JsonOpts {
  indent?: number
  sortKeys?: boolean
  /** Python's default separators are ', ' and ': ' (',' when indenting). */
  itemSep?: string
  keySep?: string
  ensureAscii?: boolean
}

function jsonString(s: string, ascii: boolean): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (ch === '\b') out += '\\b'
    else if (ch === '\f') out += '\\f'
    else if (c < 0x20 || (ascii && c > 0x7e)) {
      const units = c > 0xffff ? [0xd800 + ((c - 0x10000) >> 10), 0xdc00 + ((c - 0x10000) & 0x3ff)] : [c]
      out += units.map((u) => `\\u${u.toString(16).padStart(4, '0')}`).join('')
    } else out += ch
  }
  return out + '"'
}

export function pyJson(v: unknown, o: JsonOpts = {}, depth = 0): string {
  const ascii = o.ensureAscii ?? true
  const indent = o.indent
  const itemSep = o.itemSep ?? (indent !== undefined ? ',' : ', ')
  const keySep = o.keySep ?? ': '
  const nl = (d: number): string => (indent !== undefined ? `\n${' '.repeat(indent * d)}` : '')
  if (v === null || v === undefined) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (v instanceof PyFloat) return floatText(v.value)
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'NaN'
    if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity'
    return Number.isInteger(v) ? String(v) : floatText(v)
  }
  if (typeof v === 'string') return jsonString(v, ascii)
  if (Array.isArray(v)) {
    if (!v.length) return '[]'
    return `[${nl(depth + 1)}${v.map((x) => pyJson(x, o, depth + 1)).join(itemSep + nl(depth + 1))}${nl(depth)}]`
  }
  if (isDict(v)) {
    let keys = Object.keys(v)
    if (!keys.length) return '{}'
    if (o.sortKeys) keys = keys.sort()
    return `{${nl(depth + 1)}${keys.map((k) => jsonString(k, ascii) + keySep + pyJson(v[k], o, depth + 1)).join(itemSep + nl(depth + 1))}${nl(depth)}}`
  }
  throw new ExprError(`cannot convert a ${typeof v} to JSON`)
}
