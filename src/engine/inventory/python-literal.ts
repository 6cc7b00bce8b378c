// Python's ast.literal_eval for the subset an INI inventory value can hold. Ansible runs every INI
// value through it and keeps the raw text when it is not a literal, so `1` is an int, `True` a bool,
// `[1, 'a']` a list, `"1"` a string, and `foo bar` stays the string "foo bar".

import { PyFloat, pyFloat } from '../py-float.js'
import { setEntry } from '../dict-entry.js'

export type LiteralResult = { ok: true; value: unknown } | { ok: false }

class NotLiteral extends Error {}

type Tok =
  | { t: 'num'; v: number | PyFloat }
  | { t: 'str'; v: string }
  | { t: 'name'; v: string }
  | { t: 'punct'; v: string }

const DIGITS = '[0-9](?:_?[0-9])*'
const NUMBER_RE = new RegExp(
  '^(?:' +
    [
      `0[xX](?:_?[0-9a-fA-F])+`,
      `0[oO](?:_?[0-7])+`,
      `0[bB](?:_?[01])+`,
      `(?:${DIGITS}\\.(?:${DIGITS})?|\\.${DIGITS})(?:[eE][-+]?${DIGITS})?`,
      `${DIGITS}[eE][-+]?${DIGITS}`,
      `[1-9](?:_?[0-9])*|0+(?:_?0)*`,
    ].join('|') +
    ')',
)

function parseNumber(text: string): number | PyFloat {
  const s = text.replace(/_/g, '')
  if (/^0[xX]/.test(s)) return parseInt(s.slice(2), 16)
  if (/^0[oO]/.test(s)) return parseInt(s.slice(2), 8)
  if (/^0[bB]/.test(s)) return parseInt(s.slice(2), 2)
  // `3.0` and `1e3` are Python floats, which stay floats
  return /[.eE]/.test(s) ? pyFloat(Number(s)) : Number(s)
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '',
}

function unescape(body: string, bytes: boolean): string {
  let out = ''
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!
    if (c !== '\\') {
      out += c
      continue
    }
    const n = body[i + 1]
    if (n === undefined) throw new NotLiteral()
    i++
    if (n in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[n]
    else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0]
      out += String.fromCodePoint(parseInt(m, 8))
      i += m.length - 1
    } else if (n === 'x' || (!bytes && (n === 'u' || n === 'U'))) {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8
      const hex = body.slice(i + 1, i + 1 + len)
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) throw new NotLiteral()
      out += String.fromCodePoint(parseInt(hex, 16))
      i += len
    } else out += `\\${n}`
  }
  return out
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src[i]!
    if (c === ' ' || c === '\t' || c === '\f' || c === '\n' || c === '\r') {
      i++
      continue
    }
    if (c === '#') break
    const str = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(src.slice(i))
    if (str && /^(?:[rR]?[bB]?|[bB][rR]|[uU])$/.test(str[1]!)) {
      const prefix = str[1]!.toLowerCase()
      const quote = str[2]!
      const raw = prefix.includes('r')
      let j = i + str[0].length
      let body = ''
      for (;;) {
        if (j >= src.length) throw new NotLiteral()
        if (src.startsWith(quote, j)) break
        if (quote.length === 1 && src[j] === '\n') throw new NotLiteral()
        if (src[j] === '\\' && j + 1 < src.length) {
          body += src.slice(j, j + 2)
          j += 2
          continue
        }
        body += src[j]
        j++
      }
      const bytes = prefix.includes('b')
      if (bytes && /[^\x00-\x7f]/.test(body)) throw new NotLiteral()
      toks.push({ t: 'str', v: raw ? body : unescape(body, bytes) })
      i = j + quote.length
      continue
    }
    const num = NUMBER_RE.exec(src.slice(i))
    if (num && /[0-9.]/.test(c)) {
      const end = i + num[0].length
      // `1j` (complex) or `12abc` are not literals we can represent
      if (end < src.length && /[\w.]/.test(src[end]!)) throw new NotLiteral()
      toks.push({ t: 'num', v: parseNumber(num[0]) })
      i = end
      continue
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))
    if (name) {
      toks.push({ t: 'name', v: name[0] })
      i += name[0].length
      continue
    }
    if ('()[]{},:+-'.includes(c)) {
      toks.push({ t: 'punct', v: c })
      i++
      continue
    }
    throw new NotLiteral()
  }
  return toks
}

class Parser {
  private pos = 0
  constructor(
    private readonly toks: Tok[],
    private readonly jsonNames = false,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.pos]
  }
  private isPunct(v: string): boolean {
    const t = this.peek()
    return t !== undefined && t.t === 'punct' && t.v === v
  }
  private expect(v: string): void {
    if (!this.isPunct(v)) throw new NotLiteral()
    this.pos++
  }

  parseTop(): unknown {
    if (this.toks.length === 0) throw new NotLiteral()
    const first = this.parseItem()
    if (!this.isPunct(',')) {
      if (this.pos !== this.toks.length) throw new NotLiteral()
      return first
    }
    // a bare `1, 2` is a tuple; ansible-inventory shows tuples as lists
    const items = [first]
    while (this.isPunct(',')) {
      this.pos++
      if (this.pos === this.toks.length) break
      items.push(this.parseItem())
    }
    if (this.pos !== this.toks.length) throw new NotLiteral()
    return items
  }

  private parseSequence(close: string): unknown[] {
    const items: unknown[] = []
    while (!this.isPunct(close)) {
      items.push(this.parseItem())
      if (this.isPunct(',')) this.pos++
      else if (!this.isPunct(close)) throw new NotLiteral()
    }
    this.pos++
    return items
  }

  private parseItem(): unknown {
    const t = this.peek()
    if (!t) throw new NotLiteral()
    this.pos++
    if (t.t === 'num') return t.v
    if (t.t === 'str') {
      // adjacent strings concatenate, as in Python source
      let s = t.v
      for (let n = this.peek(); n && n.t === 'str'; n = this.peek()) {
        s += n.v
        this.pos++
      }
      return s
    }
    if (t.t === 'name') {
      if (t.v === 'True') return true
      if (t.v === 'False') return false
      if (t.v === 'None') return null
      // Ansible reads JSON's names too when it converts rendered text (its Json2Python step)
      if (this.jsonNames && t.v === 'true') return true
      if (this.jsonNames && t.v === 'false') return false
      if (this.jsonNames && t.v === 'null') return null
      throw new NotLiteral()
    }
    if (t.v === '+' || t.v === '-') {
      const n = this.peek()
      if (!n || n.t !== 'num') throw new NotLiteral()
      this.pos++
      if (t.v === '+') return n.v
      return n.v instanceof PyFloat ? new PyFloat(-n.v.value) : -n.v
    }
    if (t.v === '[') return this.parseSequence(']')
    if (t.v === '(') {
      if (this.isPunct(')')) {
        this.pos++
        return []
      }
      const first = this.parseItem()
      if (this.isPunct(')')) {
        this.pos++
        return first
      }
      this.expect(',')
      return [first, ...this.parseSequence(')')]
    }
    if (t.v === '{') return this.parseBrace()
    throw new NotLiteral()
  }

  private parseBrace(): unknown {
    if (this.isPunct('}')) {
      this.pos++
      return {}
    }
    const firstKey = this.parseItem()
    if (!this.isPunct(':')) {
      // a set literal; JSON has no sets, so it becomes a list
      if (this.isPunct(',')) this.pos++
      else if (!this.isPunct('}')) throw new NotLiteral()
      return [firstKey, ...this.parseSequence('}')]
    }
    const out: Record<string, unknown> = {}
    let key: unknown = firstKey
    for (;;) {
      this.expect(':')
      if (typeof key === 'object' && key !== null) throw new NotLiteral()
      setEntry(out, keyString(key), this.parseItem())
      if (this.isPunct(',')) this.pos++
      if (this.isPunct('}')) {
        this.pos++
        return out
      }
      key = this.parseItem()
    }
  }
}

/** Dict keys as json.dumps writes them. */
function keyString(key: unknown): string {
  if (key === true) return 'true'
  if (key === false) return 'false'
  if (key === null) return 'null'
  return String(key)
}

export function literalEval(text: string, opts: { jsonNames?: boolean } = {}): LiteralResult {
  try {
    return { ok: true, value: new Parser(tokenize(text.replace(/^[ \t]+/, '')), opts.jsonNames).parseTop() }
  } catch (e) {
    if (e instanceof NotLiteral) return { ok: false }
    throw e
  }
}

/** What Ansible's INI reader stores for a value: the literal if it is one, else the text. */
export function iniValue(text: string): unknown {
  const r = literalEval(text)
  return r.ok ? r.value : text
}
