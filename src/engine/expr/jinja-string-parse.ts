// Parses Jinja string templates: {{ expr }}, {% if/elif/else/endif %}, {% for %}, {% set %},
// {% raw %}, {# comments #}, whitespace control with `-`, and trim_blocks as Ansible sets it.
import { ExprError } from '../errors.js'
import type { Expr, Node } from './ast.js'
import { Parser, parseExpr } from './parser.js'

export type TNode =
  | { k: 'text'; s: string }
  | { k: 'out'; expr: Expr }
  | { k: 'if'; branches: Array<{ cond: Expr; body: TNode[] }>; else?: TNode[] }
  | { k: 'for'; targets: string[]; iter: Expr; cond?: Expr; body: TNode[]; else?: TNode[] }
  | { k: 'set'; targets: string[]; expr: Expr }
  | { k: 'setblock'; target: string; body: TNode[] }

type Tok = { t: 'text'; s: string } | { t: 'out'; src: string; pos: number } | { t: 'tag'; name: string; rest: string; src: string; pos: number }

function fail(tpl: string, msg: string, pos: number): never {
  const line = tpl.slice(0, pos).split('\n').length
  throw new ExprError(`cannot parse template ${JSON.stringify(tpl.length > 120 ? `${tpl.slice(0, 117)}...` : tpl)}: ${msg} (line ${line})`)
}

/** Where the expression inside a `{{`/`{%` ends: skips strings and nested brackets. */
function findEnd(tpl: string, from: number, close: '}}' | '%}'): { end: number; strip: boolean } {
  let depth = 0
  let i = from
  while (i < tpl.length) {
    const c = tpl[i]!
    if (c === "'" || c === '"') {
      i++
      while (i < tpl.length && tpl[i] !== c) i += tpl[i] === '\\' ? 2 : 1
      i++
      continue
    }
    if (depth === 0) {
      if (tpl.startsWith(`-${close}`, i)) return { end: i, strip: true }
      if (tpl.startsWith(`+${close}`, i)) return { end: i, strip: false }
      if (tpl.startsWith(close, i)) return { end: i, strip: false }
    }
    if (c === '(' || c === '[' || c === '{') depth++
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--
    i++
  }
  return fail(tpl, `missing '${close}'`, from)
}

function tokenize(tpl: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  let stripNext = false
  let trimNewline = false
  const pushText = (s: string, stripBefore: boolean): void => {
    let text = s
    if (stripNext) text = text.replace(/^\s+/, '')
    else if (trimNewline) text = text.replace(/^\r?\n/, '')
    if (stripBefore) text = text.replace(/\s+$/, '')
    stripNext = false
    trimNewline = false
    if (text) toks.push({ t: 'text', s: text })
  }
  while (i < tpl.length) {
    const m = /\{[{%#]/.exec(tpl.slice(i))
    if (!m) {
      pushText(tpl.slice(i), false)
      break
    }
    const start = i + m.index
    const kind = tpl[start + 1]!
    const dash = tpl[start + 2] === '-'
    pushText(tpl.slice(i, start), dash)
    const inner = start + 2 + (dash || tpl[start + 2] === '+' ? 1 : 0)
    if (kind === '#') {
      const end = tpl.indexOf('#}', inner)
      if (end < 0) fail(tpl, "missing '#}'", start)
      stripNext = tpl[end - 1] === '-'
      trimNewline = !stripNext
      i = end + 2
      continue
    }
    const { end, strip } = findEnd(tpl, inner, kind === '{' ? '}}' : '%}')
    const body = tpl.slice(inner, end).trim()
    i = end + (strip || tpl[end] === '+' ? 3 : 2)
    stripNext = strip
    if (kind === '{') {
      if (!body) fail(tpl, 'empty {{ }}', start)
      toks.push({ t: 'out', src: body, pos: start })
      continue
    }
    trimNewline = !strip
    const nm = /^([A-Za-z_]\w*)\s*([\s\S]*)$/.exec(body)
    if (!nm) fail(tpl, `bad tag '{% ${body} %}'`, start)
    const name = nm![1]!
    if (name === 'raw') {
      const close = /\{%-?\s*endraw\s*-?%\}/.exec(tpl.slice(i))
      if (!close) fail(tpl, "missing '{% endraw %}'", start)
      pushText(tpl.slice(i, i + close!.index), close![0].startsWith('{%-'))
      i += close!.index + close![0].length
      stripNext = close![0].endsWith('-%}')
      trimNewline = !stripNext
      continue
    }
    toks.push({ t: 'tag', name, rest: nm![2]!, src: body, pos: start })
  }
  return toks
}

function subExpr(src: string, node: Node): Expr {
  return { src, node }
}

class TreeBuilder {
  private i = 0
  constructor(
    private readonly tpl: string,
    private readonly toks: Tok[],
  ) {}

  /** Nodes until one of `stops` tags (returned, not consumed) or the end. */
  nodes(stops: string[]): { body: TNode[]; stop?: Extract<Tok, { t: 'tag' }> } {
    const body: TNode[] = []
    while (this.i < this.toks.length) {
      const tok = this.toks[this.i]!
      if (tok.t === 'text') {
        body.push({ k: 'text', s: tok.s })
        this.i++
        continue
      }
      if (tok.t === 'out') {
        body.push({ k: 'out', expr: this.expr(tok.src, tok.pos) })
        this.i++
        continue
      }
      if (stops.includes(tok.name)) return { body, stop: tok }
      this.i++
      body.push(this.tag(tok))
    }
    return { body }
  }

  private expr(src: string, pos: number): Expr {
    try {
      return parseExpr(src)
    } catch (e) {
      return fail(this.tpl, (e as Error).message, pos)
    }
  }

  private expect(tok: Extract<Tok, { t: 'tag' }>, stops: string[]): { body: TNode[]; stop: Extract<Tok, { t: 'tag' }> } {
    const r = this.nodes(stops)
    if (!r.stop) fail(this.tpl, `'{% ${tok.name} %}' is never closed with {% ${stops[stops.length - 1]} %}`, tok.pos)
    this.i++
    return r as { body: TNode[]; stop: Extract<Tok, { t: 'tag' }> }
  }

  private tag(tok: Extract<Tok, { t: 'tag' }>): TNode {
    switch (tok.name) {
      case 'if': {
        const branches: Array<{ cond: Expr; body: TNode[] }> = []
        let cond = this.expr(tok.rest, tok.pos)
        while (true) {
          const r = this.expect(tok, ['elif', 'else', 'endif'])
          branches.push({ cond, body: r.body })
          if (r.stop.name === 'elif') {
            cond = this.expr(r.stop.rest, r.stop.pos)
            continue
          }
          if (r.stop.name === 'else') {
            const e = this.expect(tok, ['endif'])
            return { k: 'if', branches, else: e.body }
          }
          return { k: 'if', branches }
        }
      }
      case 'for': {
        const p = this.partial(tok)
        const targets = p.parseTargets()
        p.expectKeyword('in')
        const iter = subExpr(tok.rest, p.parseTuple(false))
        let cond: Expr | undefined
        if (p.skipKeyword('if')) cond = subExpr(tok.rest, p.parseExpression(false))
        if (!p.done) fail(this.tpl, `unexpected text in '{% ${tok.src} %}'`, tok.pos)
        iter.src = `for ${tok.rest}`
        const r = this.expect(tok, ['else', 'endfor'])
        if (r.stop.name === 'else') {
          const e = this.expect(tok, ['endfor'])
          return { k: 'for', targets, iter, cond, body: r.body, else: e.body }
        }
        return { k: 'for', targets, iter, cond, body: r.body }
      }
      case 'set': {
        const eq = /^([\w\s,]+?)\s*=(?!=)\s*([\s\S]+)$/.exec(tok.rest)
        if (eq) {
          const targets = eq[1]!.split(',').map((x) => x.trim())
          if (targets.some((t) => !/^[A-Za-z_]\w*$/.test(t))) fail(this.tpl, `bad target in '{% ${tok.src} %}'`, tok.pos)
          return { k: 'set', targets, expr: this.expr(eq[2]!, tok.pos) }
        }
        if (/^[A-Za-z_]\w*$/.test(tok.rest.trim())) {
          const r = this.expect(tok, ['endset'])
          return { k: 'setblock', target: tok.rest.trim(), body: r.body }
        }
        return fail(this.tpl, `bad '{% ${tok.src} %}'`, tok.pos)
      }
      case 'elif':
      case 'else':
      case 'endif':
      case 'endfor':
      case 'endset':
        return fail(this.tpl, `unexpected '{% ${tok.name} %}' without its opening tag`, tok.pos)
      default:
        return fail(this.tpl, `tag '{% ${tok.name} %}' is not supported by kubeseed (use if, for, set, raw)`, tok.pos)
    }
  }

  private partial(tok: Extract<Tok, { t: 'tag' }>): Parser {
    try {
      return new Parser(tok.rest)
    } catch (e) {
      return fail(this.tpl, (e as Error).message, tok.pos)
    }
  }

  get rest(): Extract<Tok, { t: 'tag' }> | undefined {
    const t = this.toks[this.i]
    return t && t.t === 'tag' ? t : undefined
  }
}

export interface Template {
  src: string
  nodes: TNode[]
}

const cache = new Map<string, Template>()
const CACHE_MAX = 20000

export function parseTemplate(src: string): Template {
  const hit = cache.get(src)
  if (hit) return hit
  const b = new TreeBuilder(src, tokenize(src))
  const { body, stop } = b.nodes([])
  if (stop) fail(src, `unexpected '{% ${stop.name} %}'`, stop.pos)
  const stray = b.rest
  if (stray) fail(src, `unexpected '{% ${stray.name} %}'`, stray.pos)
  const t = { src, nodes: body }
  if (cache.size >= CACHE_MAX) cache.clear()
  cache.set(src, t)
  return t
}
