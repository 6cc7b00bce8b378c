// JSON read with Python's types kept apart: `3` is an int, `3.0` a float (JSON.parse makes both 3), and
// Python's Infinity/NaN are read too. Parity tests compare these trees, so a float turned int fails.

export type Typed =
  | { t: 'int' | 'float'; v: number }
  | { t: 'str'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' }
  | { t: 'list'; v: Typed[] }
  | { t: 'dict'; v: Record<string, Typed> }

export function parseTypedJson(text: string): Typed {
  let i = 0
  const ws = () => { while (i < text.length && /\s/.test(text[i]!)) i++ }
  const fail = (what: string): never => { throw new Error(`typed JSON: ${what} at ${i} in ${text.slice(Math.max(0, i - 20), i + 20)}`) }
  const value = (): Typed => {
    ws()
    const c = text[i]
    if (c === '{') {
      i++
      const out: Record<string, Typed> = {}
      ws()
      if (text[i] === '}') { i++; return { t: 'dict', v: out } }
      for (;;) {
        ws()
        const k = value()
        if (k.t !== 'str') fail('a key')
        ws()
        if (text[i++] !== ':') fail("':'")
        out[(k as { v: string }).v] = value()
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i++] === '}') return { t: 'dict', v: out }
        fail("',' or '}'")
      }
    }
    if (c === '[') {
      i++
      const out: Typed[] = []
      ws()
      if (text[i] === ']') { i++; return { t: 'list', v: out } }
      for (;;) {
        out.push(value())
        ws()
        if (text[i] === ',') { i++; continue }
        if (text[i++] === ']') return { t: 'list', v: out }
        fail("',' or ']'")
      }
    }
    if (c === '"') {
      const m = /^"(?:[^"\\]|\\.)*"/.exec(text.slice(i)) ?? fail('a string')
      i += m[0].length
      return { t: 'str', v: JSON.parse(m[0]) as string }
    }
    for (const [word, val] of [['true', { t: 'bool', v: true }], ['false', { t: 'bool', v: false }], ['null', { t: 'null' }],
      ['Infinity', { t: 'float', v: Infinity }], ['-Infinity', { t: 'float', v: -Infinity }], ['NaN', { t: 'float', v: NaN }]] as const) {
      if (text.startsWith(word, i)) { i += word.length; return val as Typed }
    }
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i)) ?? fail('a value')
    i += m[0].length
    return { t: m[1] || m[2] ? 'float' : 'int', v: Number(m[0]) }
  }
  const v = value()
  ws()
  if (i !== text.length) fail('the end')
  return v
}

/** A short Python-like rendering of a typed value, for failure messages. */
export function showTyped(x: Typed): string {
  switch (x.t) {
    case 'int': return String(x.v)
    case 'float': return Number.isInteger(x.v) ? `${x.v}.0` : String(x.v)
    case 'str': return JSON.stringify(x.v)
    case 'bool': return x.v ? 'True' : 'False'
    case 'null': return 'None'
    case 'list': return `[${x.v.map(showTyped).join(', ')}]`
    case 'dict': return `{${Object.entries(x.v).map(([k, v]) => `${JSON.stringify(k)}: ${showTyped(v)}`).join(', ')}}`
  }
}

/** showTyped with dict keys sorted: equal texts mean equal values and types; a readable diff otherwise. */
export function canonicalTyped(x: Typed): string {
  if (x.t === 'list') return `[${x.v.map(canonicalTyped).join(', ')}]`
  if (x.t === 'dict') return `{${Object.keys(x.v).sort().map((k) => `${JSON.stringify(k)}: ${canonicalTyped(x.v[k]!)}`).join(', ')}}`
  return showTyped(x)
}

/** Same value and same types all the way down; dict key order does not count. */
export function sameTyped(a: Typed, b: Typed): boolean {
  if (a.t !== b.t) return false
  switch (a.t) {
    case 'null': return true
    case 'list': {
      const bl = (b as typeof a).v
      return a.v.length === bl.length && a.v.every((x, i) => sameTyped(x, bl[i]!))
    }
    case 'dict': {
      const bd = (b as typeof a).v
      const ka = Object.keys(a.v)
      return ka.length === Object.keys(bd).length && ka.every((k) => Object.hasOwn(bd, k) && sameTyped(a.v[k]!, bd[k]!))
    }
    default:
      return Object.is(a.v, (b as typeof a).v)
  }
}
