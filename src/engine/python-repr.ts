// Python's str() and repr() of JSON-like values: how Jinja prints a value, and what
// ansible-inventory --graph --vars shows. Integral floats are PyFloat values (see py-float.ts).
import { floatText, PyFloat } from './py-float.js'

function numberRepr(x: number): string {
  // An int prints its digits; any other number is a float (integral floats come as PyFloat).
  return Number.isInteger(x) ? String(x) : floatText(x)
}

export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'"
  let out = q
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '\\') out += '\\\\'
    else if (ch === q) out += `\\${q}`
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`
    else out += ch
  }
  return out + q
}

/** Python's repr(): how a value appears inside a list or dict that is printed. */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v)
  if (v instanceof PyFloat) return floatText(v.value)
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  if (typeof v === 'object' && v !== null) {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`).join(', ')}}`
  }
  return pyStr(v)
}

/** Python's str(): strings bare (how `{{ value }}` prints inside a larger string), everything else as repr. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return numberRepr(v)
  if (typeof v === 'object') return pyRepr(v)
  return String(v)
}
