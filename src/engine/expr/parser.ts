// Recursive-descent parser with Jinja2's precedence levels (lowest first):
// inline if, or, and, not, comparisons/in, + -, ~, * / // %, **, unary -, then
// primary with postfix (.attr, [index], [slice], call), filters `|` and tests `is`.
import { pyFloat } from '../py-float.js'
import { ExprError } from '../errors.js'
import type { CompareOp, Expr, Node } from './ast.js'
import { lex, type Token } from './lexer.js'

const CONSTANTS: Record<string, unknown> = { true: true, True: true, false: false, False: false, none: null, None: null }
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>='])

export class Parser {
  private toks: Token[]
  private i = 0

  constructor(private readonly src: string) {
    this.toks = lex(src)
  }

  private get cur(): Token {
    return this.toks[this.i]!
  }

  private fail(msg: string, tok: Token = this.cur): never {
    const at = tok.type === 'eof' ? 'at the end' : `at position ${tok.pos + 1} ('${tok.value}')`
    throw new ExprError(`cannot parse expression "${this.src}": ${msg} ${at}`)
  }

  private isOp(v: string): boolean {
    return this.cur.type === 'op' && this.cur.value === v
  }

  private isName(v: string): boolean {
    return this.cur.type === 'name' && this.cur.value === v
  }

  private skipOp(v: string): boolean {
    if (!this.isOp(v)) return false
    this.i++
    return true
  }

  private expectOp(v: string): void {
    if (!this.skipOp(v)) this.fail(`expected '${v}'`)
  }

  private expectName(): string {
    if (this.cur.type !== 'name') this.fail('expected a name')
    return this.toks[this.i++]!.value
  }

  /** A whole expression; everything must be consumed. */
  parseAll(): Node {
    const n = this.parseTuple()
    if (this.cur.type !== 'eof') this.fail('unexpected token')
    return n
  }

  /** An expression, or a bare tuple `a, b` (as in `{% for %}` iterables and `{% set %}`). */
  parseTuple(withCond = true): Node {
    const first = this.parseExpression(withCond)
    if (!this.isOp(',')) return first
    const items = [first]
    while (this.skipOp(',')) {
      if (this.atEnd()) break
      items.push(this.parseExpression(withCond))
    }
    return { k: 'tuple', items }
  }

  private atEnd(): boolean {
    return this.cur.type === 'eof' || this.isOp(')') || this.isOp(']') || this.isOp('}')
  }

  get position(): number {
    return this.cur.pos
  }

  get done(): boolean {
    return this.cur.type === 'eof'
  }

  /** For the template parser: `x` or `k, v` loop targets. */
  parseTargets(): string[] {
    const names = [this.expectName()]
    while (this.skipOp(',')) names.push(this.expectName())
    return names
  }

  expectKeyword(word: string): void {
    if (!this.isName(word)) this.fail(`expected '${word}'`)
    this.i++
  }

  skipKeyword(word: string): boolean {
    if (!this.isName(word)) return false
    this.i++
    return true
  }

  parseExpression(withCond = true): Node {
    if (!withCond) return this.parseOr()
    const n = this.parseOr()
    if (this.isName('if')) {
      this.i++
      const test = this.parseOr()
      if (this.skipKeyword('else')) return { k: 'cond', then: n, test, else: this.parseExpression() }
      return { k: 'cond', then: n, test }
    }
    return n
  }

  private parseOr(): Node {
    let left = this.parseAnd()
    while (this.skipKeyword('or')) left = { k: 'or', left, right: this.parseAnd() }
    return left
  }

  private parseAnd(): Node {
    let left = this.parseNot()
    while (this.skipKeyword('and')) left = { k: 'and', left, right: this.parseNot() }
    return left
  }

  private parseNot(): Node {
    if (this.skipKeyword('not')) return { k: 'unary', op: 'not', operand: this.parseNot() }
    return this.parseCompare()
  }

  private parseCompare(): Node {
    const first = this.parseMath1()
    const rest: Array<[CompareOp, Node]> = []
    while (true) {
      if (this.cur.type === 'op' && COMPARE_OPS.has(this.cur.value)) {
        const op = this.toks[this.i++]!.value as CompareOp
        rest.push([op, this.parseMath1()])
      } else if (this.isName('in')) {
        this.i++
        rest.push(['in', this.parseMath1()])
      } else if (this.isName('not') && this.toks[this.i + 1]?.type === 'name' && this.toks[this.i + 1]?.value === 'in') {
        this.i += 2
        rest.push(['not in', this.parseMath1()])
      } else break
    }
    return rest.length ? { k: 'compare', first, rest } : first
  }

  private parseMath1(): Node {
    let left = this.parseConcat()
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.toks[this.i++]!.value as '+' | '-'
      left = { k: 'binary', op, left, right: this.parseConcat() }
    }
    return left
  }

  private parseConcat(): Node {
    let left = this.parseMath2()
    while (this.skipOp('~')) left = { k: 'binary', op: '~', left, right: this.parseMath2() }
    return left
  }

  private parseMath2(): Node {
    let left = this.parsePow()
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.toks[this.i++]!.value as '*' | '/' | '//' | '%'
      left = { k: 'binary', op, left, right: this.parsePow() }
    }
    return left
  }

  private parsePow(): Node {
    let left = this.parseUnary()
    while (this.skipOp('**')) left = { k: 'binary', op: '**', left, right: this.parseUnary() }
    return left
  }

  private parseUnary(withFilter = true): Node {
    let n: Node
    if (this.skipOp('-')) n = { k: 'unary', op: '-', operand: this.parseUnary(false) }
    else if (this.skipOp('+')) n = { k: 'unary', op: '+', operand: this.parseUnary(false) }
    else n = this.parsePrimary()
    n = this.parsePostfix(n)
    return withFilter ? this.parseFilterExpr(n) : n
  }

  private parsePrimary(): Node {
    const t = this.cur
    if (t.type === 'name') {
      this.i++
      if (Object.hasOwn(CONSTANTS, t.value)) return { k: 'lit', v: CONSTANTS[t.value] }
      return { k: 'name', name: t.value, pos: t.pos }
    }
    if (t.type === 'string') {
      this.i++
      let s = t.literal as string
      // Adjacent string literals concatenate, as in Python.
      while (this.cur.type === 'string') s += this.toks[this.i++]!.literal as string
      return { k: 'lit', v: s }
    }
    if (t.type === 'int' || t.type === 'float') {
      this.i++
      return { k: 'lit', v: t.type === 'float' ? pyFloat(t.literal as number) : t.literal }
    }
    if (this.skipOp('(')) {
      if (this.skipOp(')')) return { k: 'tuple', items: [] }
      const first = this.parseExpression()
      if (this.skipOp(')')) return first
      const items = [first]
      while (this.skipOp(',')) {
        if (this.isOp(')')) break
        items.push(this.parseExpression())
      }
      this.expectOp(')')
      return { k: 'tuple', items }
    }
    if (this.skipOp('[')) {
      const items: Node[] = []
      while (!this.isOp(']')) {
        items.push(this.parseExpression())
        if (!this.skipOp(',')) break
      }
      this.expectOp(']')
      return { k: 'list', items }
    }
    if (this.skipOp('{')) {
      const entries: Array<[Node, Node]> = []
      while (!this.isOp('}')) {
        const key = this.parseExpression()
        this.expectOp(':')
        entries.push([key, this.parseExpression()])
        if (!this.skipOp(',')) break
      }
      this.expectOp('}')
      return { k: 'dict', entries }
    }
    return this.fail(t.type === 'eof' ? 'expression ends too early' : 'unexpected token')
  }

  private parsePostfix(n: Node): Node {
    while (true) {
      if (this.skipOp('.')) {
        const t = this.cur
        if (t.type === 'name') {
          this.i++
          n = { k: 'attr', obj: n, name: t.value }
        } else if (t.type === 'int') {
          this.i++
          n = { k: 'index', obj: n, index: { k: 'lit', v: t.literal } }
        } else this.fail('expected an attribute name after "."')
      } else if (this.skipOp('[')) {
        n = this.parseSubscript(n)
      } else if (this.isOp('(')) {
        n = this.parseCall(n)
      } else return n
    }
  }

  private parseSubscript(obj: Node): Node {
    const part = (): Node | undefined => (this.isOp(':') || this.isOp(']') ? undefined : this.parseExpression())
    const start = part()
    if (this.skipOp(']')) {
      if (!start) this.fail('empty subscript')
      return { k: 'index', obj, index: start! }
    }
    this.expectOp(':')
    const stop = part()
    let step: Node | undefined
    if (this.skipOp(':')) step = part()
    this.expectOp(']')
    return { k: 'slice', obj, start, stop, step }
  }

  private parseArgs(): { args: Node[]; kwargs: Array<[string, Node]> } {
    this.expectOp('(')
    const args: Node[] = []
    const kwargs: Array<[string, Node]> = []
    while (!this.isOp(')')) {
      if (this.cur.type === 'name' && this.toks[this.i + 1]?.type === 'op' && this.toks[this.i + 1]?.value === '=') {
        const key = this.cur.value
        this.i += 2
        kwargs.push([key, this.parseExpression()])
      } else {
        if (kwargs.length) this.fail('positional argument after keyword argument')
        args.push(this.parseExpression())
      }
      if (!this.skipOp(',')) break
    }
    this.expectOp(')')
    return { args, kwargs }
  }

  private parseCall(callee: Node): Node {
    const { args, kwargs } = this.parseArgs()
    return { k: 'call', callee, args, kwargs }
  }

  private dottedName(): string {
    let name = this.expectName()
    while (this.isOp('.') && this.toks[this.i + 1]?.type === 'name') {
      this.i++
      name += `.${this.expectName()}`
    }
    return name
  }

  private parseFilterExpr(n: Node): Node {
    while (true) {
      if (this.skipOp('|')) {
        const name = this.dottedName()
        const { args, kwargs } = this.isOp('(') ? this.parseArgs() : { args: [], kwargs: [] }
        n = this.parsePostfix({ k: 'filter', value: n, name, args, kwargs })
      } else if (this.isName('is')) {
        this.i++
        const negate = this.skipKeyword('not')
        const name = this.dottedName()
        let args: Node[] = []
        let kwargs: Array<[string, Node]> = []
        if (this.isOp('(')) ({ args, kwargs } = this.parseArgs())
        else if (this.startsBareTestArg()) args = [this.parsePostfix(this.parsePrimary())]
        n = { k: 'test', value: n, name, args, kwargs, negate }
      } else if (this.isOp('(')) {
        n = this.parseCall(n)
      } else return n
    }
  }

  // Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas false`.
  private startsBareTestArg(): boolean {
    const t = this.cur
    if (t.type === 'string' || t.type === 'int' || t.type === 'float') return true
    if (t.type === 'op') return t.value === '[' || t.value === '{'
    if (t.type === 'name') return !['else', 'or', 'and', 'if', 'is', 'in', 'not'].includes(t.value)
    return false
  }
}

const cache = new Map<string, Expr>()
const CACHE_MAX = 20000

/** Parse a bare expression (no braces). Parsed expressions are cached by source text. */
export function parseExpr(src: string): Expr {
  const hit = cache.get(src)
  if (hit) return hit
  const node = new Parser(src).parseAll()
  const e: Expr = { src, node }
  if (cache.size >= CACHE_MAX) cache.clear()
  cache.set(src, e)
  return e
}
