// Tokens of the Jinja expression language.
import { ExprError } from '../errors.js'

export type TokenType = 'name' | 'string' | 'int' | 'float' | 'op' | 'eof'

export interface Token {
  type: TokenType
  value: string
  /** For string tokens: the unescaped text; for numbers: the value. */
  literal?: string | number
  pos: number
}

const OPS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '~', '<', '>', '=', '(', ')', '[', ']', '{', '}', ',', '.', ':', '|']

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v' }

/** An int or float from `start` (underscores allowed, as in Python); the token and where it ends. */
function lexNumber(src: string, start: number): { token: Token; end: number } {
  let i = start
  while (i < src.length && /[0-9_]/.test(src[i]!)) i++
  let isFloat = false
  if (src[i] === '.' && /[0-9]/.test(src[i + 1] ?? '')) {
    isFloat = true
    i++
    while (i < src.length && /[0-9_]/.test(src[i]!)) i++
  }
  if ((src[i] === 'e' || src[i] === 'E') && /[-+0-9]/.test(src[i + 1] ?? '')) {
    isFloat = true
    i += 2
    while (i < src.length && /[0-9]/.test(src[i]!)) i++
  }
  const text = src.slice(start, i)
  const n = Number(text.replace(/_/g, ''))
  return { token: { type: isFloat ? 'float' : 'int', value: text, literal: n, pos: start }, end: i }
}

/** A quoted string from `start` with Python's escapes; the token and where it ends. */
function lexString(src: string, start: number, fail: (msg: string, at: number) => never): { token: Token; end: number } {
  const quote = src[start]
  let i = start + 1
  let s = ''
  while (true) {
    if (i >= src.length) fail('unterminated string', start)
    const ch = src[i]!
    if (ch === quote) {
      i++
      break
    }
    if (ch === '\\') {
      const e = src[i + 1] ?? ''
      if (e === 'x' || e === 'u' || e === 'U') {
        const len = e === 'x' ? 2 : e === 'u' ? 4 : 8
        const hex = src.slice(i + 2, i + 2 + len)
        if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) fail(`bad \\${e} escape`, i)
        s += String.fromCodePoint(parseInt(hex, 16))
        i += 2 + len
        continue
      }
      if (e === '\n') {
        i += 2
        continue
      }
      // Python keeps unknown escapes such as `\d` as they are: regexes rely on that.
      s += ESCAPES[e] ?? `\\${e}`
      i += 2
      continue
    }
    s += ch
    i++
  }
  return { token: { type: 'string', value: src.slice(start, i), literal: s, pos: start }, end: i }
}

export function lex(src: string): Token[] {
  const out: Token[] = []
  let i = 0
  const fail = (msg: string, at: number): never => {
    throw new ExprError(`cannot parse expression "${src}": ${msg} at position ${at + 1}`)
  }
  while (i < src.length) {
    const c = src[i]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
      continue
    }
    const start = i
    if (/[A-Za-z_]/.test(c)) {
      while (i < src.length && /[A-Za-z0-9_]/.test(src[i]!)) i++
      out.push({ type: 'name', value: src.slice(start, i), pos: start })
      continue
    }
    if (/[0-9]/.test(c)) {
      const t = lexNumber(src, start)
      out.push(t.token)
      i = t.end
      continue
    }
    if (c === "'" || c === '"') {
      const t = lexString(src, start, fail)
      out.push(t.token)
      i = t.end
      continue
    }
    const op = OPS.find((o) => src.startsWith(o, i))
    if (!op) fail(`unexpected character '${c}'`, i)
    out.push({ type: 'op', value: op!, pos: start })
    i += op!.length
  }
  out.push({ type: 'eof', value: '', pos: src.length })
  return out
}
