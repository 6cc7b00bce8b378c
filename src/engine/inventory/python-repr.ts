// Python's str()/repr() of plain values, which ansible-inventory --graph --vars prints.
// JS cannot tell 1.0 from 1, so integral floats print as ints.

function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return String(x)
  const [mant, expText] = x.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp >= -4 && exp < 16) return String(x)
  const m = mant.includes('.') ? mant : `${mant}`
  return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
}

export function pyStrRepr(s: string): string {
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

export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return 'None'
  if (v === true) return 'True'
  if (v === false) return 'False'
  if (typeof v === 'number') return floatRepr(v)
  if (typeof v === 'string') return pyStrRepr(v)
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`
  if (typeof v === 'object') {
    return `{${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${pyStrRepr(k)}: ${pyRepr(x)}`).join(', ')}}`
  }
  return String(v)
}

/** str(v): strings bare, everything else as repr. */
export function pyStr(v: unknown): string {
  return typeof v === 'string' ? v : pyRepr(v)
}
