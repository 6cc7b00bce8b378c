// Renders parsed string templates with Ansible's rules (jinja2_native off): the result is a string, except
// that a template that is just `{{ name }}` keeps a number, bool or None written as such, and a result
// that reads as a list, dict, True or False literal becomes that value. None prints as ''.
import { PyFloat } from '../py-float.js'
import { ExprError, KubeseedError } from '../errors.js'
import type { Expr, Node } from './ast.js'
import { ev, type Env } from './evaluate.js'
import { literalValue } from './literal.js'
import { iterate, pyStr, truthy } from './python.js'
import { parseTemplate, type TNode } from './jinja-string-parse.js'
import { isUndefinedError, markUndefined, need } from './undefined.js'

/** True when a string contains template syntax (and so costs a render). */
export function isTemplated(s: string): boolean {
  return s.includes('{{') || s.includes('{%') || s.includes('{#')
}

class Frame implements Env {
  private readonly locals = new Map<string, unknown>()
  constructor(private readonly parent: Env) {}

  lookup(name: string): unknown {
    return this.locals.has(name) ? this.locals.get(name) : this.parent.lookup(name)
  }

  getenv(name: string): string | undefined {
    return this.parent.getenv ? this.parent.getenv(name) : process.env[name]
  }

  raw(name: string): { value: unknown } | undefined {
    if (this.locals.has(name)) return { value: this.locals.get(name) }
    return this.parent.raw?.(name)
  }

  password(term: string): string {
    if (!this.parent.password) throw new ExprError("lookup('password') is not available here")
    return this.parent.password(term)
  }

  isNativeText(name: string): boolean {
    return !this.locals.has(name) && !!this.parent.isNativeText?.(name)
  }

  set(name: string, v: unknown): void {
    this.locals.set(name, v)
  }
}

/** Give an evaluation error the expression it came from (once). */
export function withExpr(e: unknown, src: string): unknown {
  if (!(e instanceof ExprError) || e.message.includes(`"${src}"`) || e.message.startsWith('cannot parse')) return e
  const wrapped = new ExprError(`${messageWithoutHint(e)} in "${src}"`, undefined, e.hint)
  return isUndefinedError(e) ? markUndefined(wrapped) : wrapped
}

/** An error's message without its trailing "(hint)", so context can go before the hint. */
export function messageWithoutHint(e: Error): string {
  const hint = e instanceof KubeseedError ? e.hint : undefined
  const suffix = hint ? ` (${hint})` : ''
  return suffix && e.message.endsWith(suffix) ? e.message.slice(0, -suffix.length) : e.message
}

function evalIn(expr: Expr, env: Env, shown: string): unknown {
  try {
    return ev(expr.node, env)
  } catch (e) {
    throw withExpr(e, shown)
  }
}

function defined(expr: Expr, env: Env, shown: string): unknown {
  const v = evalIn(expr, env, shown)
  try {
    return need(v)
  } catch (e) {
    throw withExpr(e, shown)
  }
}

function unpack(targets: string[], item: unknown, frame: Frame): void {
  if (targets.length === 1) {
    frame.set(targets[0]!, item)
    return
  }
  const parts = Array.isArray(item) ? item : typeof item === 'string' ? [...item] : undefined
  if (!parts || parts.length !== targets.length) throw new ExprError(`cannot unpack ${pyStr(item)} into ${targets.join(', ')}`)
  targets.forEach((t, i) => frame.set(t, parts[i]))
}

function renderNodes(nodes: TNode[], env: Frame, out: unknown[]): void {
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        out.push(n.s)
        break
      case 'out': {
        // Ansible's finalize: None prints as nothing.
        const v = defined(n.expr, env, `{{ ${n.expr.src} }}`)
        out.push(v === null || v === undefined ? '' : typeof v === 'string' && nativeTextNode(n.expr.node, env) ? new NativeText(v) : v)
        break
      }
      case 'if': {
        const hit = n.branches.find((b) => truthy(defined(b.cond, env, `{% if ${b.cond.src} %}`)))
        if (hit) renderNodes(hit.body, env, out)
        else if (n.else) renderNodes(n.else, env, out)
        break
      }
      case 'for':
        renderFor(n, env, out)
        break
      case 'set': {
        const v = defined(n.expr, env, `{% set ${n.targets.join(', ')} = ${n.expr.src} %}`)
        unpack(n.targets, v, env)
        break
      }
      case 'setblock': {
        const parts: unknown[] = []
        renderNodes(n.body, new Frame(env), parts)
        env.set(n.target, parts.map(text).join(''))
        break
      }
    }
  }
}

/** `{% for %}`: the body once per item that passes the loop's `if`, with `loop` set; `else` when none does. */
function renderFor(n: Extract<TNode, { k: 'for' }>, env: Frame, out: unknown[]): void {
  const shown = `{% ${n.iter.src} %}`
  let items = iterate(defined(n.iter, env, shown), `'${n.iter.src}'`)
  if (n.cond) {
    const cond = n.cond
    items = items.filter((item) => {
      const f = new Frame(env)
      unpack(n.targets, item, f)
      return truthy(defined(cond, f, `{% ${n.iter.src} %}`))
    })
  }
  if (!items.length && n.else) renderNodes(n.else, env, out)
  items.forEach((item, i) => {
    const f = new Frame(env)
    unpack(n.targets, item, f)
    f.set('loop', {
      index: i + 1,
      index0: i,
      revindex: items.length - i,
      revindex0: items.length - i - 1,
      first: i === 0,
      last: i === items.length - 1,
      length: items.length,
      previtem: i > 0 ? items[i - 1] : null,
      nextitem: i < items.length - 1 ? items[i + 1] : null,
    })
    renderNodes(n.body, f, out)
  })
}

/** Filters whose string result Ansible never converts (its STRING_TYPE_FILTERS). */
const STRING_FILTERS = new Set(['string', 'to_json', 'to_nice_json', 'to_yaml', 'to_nice_yaml', 'ppretty', 'json'])

function nativeTextNode(node: Node, env: Env): boolean {
  if (node.k === 'filter') return STRING_FILTERS.has(node.name)
  return node.k === 'name' && !!env.isNativeText?.(node.name)
}

/** A filter result that must stay text when it is the whole output (Ansible's NativeJinjaText). */
class NativeText {
  constructor(readonly s: string) {}
}

const text = (v: unknown): string => (v instanceof NativeText ? v.s : pyStr(v))

const SINGLE_VAR = /^\{\{\s*(\w*)\s*\}\}$/

/**
 * Render a string in `env`. Strings without template syntax come back untouched.
 * Errors are ExprErrors naming the failing expression; errors of other kinds
 * (a variable that failed to render) pass through unchanged.
 */
export function renderString(s: string, env: Env): unknown {
  return renderStringTyped(s, env).value
}

/** As renderString, and whether the result is text that must never be converted (see NativeText). */
export function renderStringTyped(s: string, env: Env): { value: unknown; nativeText: boolean } {
  const value = renderInner(s, env)
  if (value instanceof NativeText) return { value: value.s, nativeText: true }
  return { value, nativeText: false }
}

function renderInner(s: string, env: Env): unknown {
  if (!isTemplated(s)) return s
  const single = SINGLE_VAR.exec(s)
  if (single && env.raw) {
    const raw = env.raw(single[1]!)
    if (raw && (typeof raw.value === 'number' || typeof raw.value === 'boolean' || raw.value instanceof PyFloat)) return raw.value
    if (raw && raw.value === null) return null
  }
  const tpl = parseTemplate(s)
  const out: unknown[] = []
  try {
    renderNodes(tpl.nodes, new Frame(env), out)
  } catch (e) {
    if (e instanceof KubeseedError) throw e
    throw new ExprError(`cannot render ${JSON.stringify(s)}: ${(e as Error).message}`)
  }
  if (out.length === 1 && out[0] instanceof NativeText) return out[0]
  // A list or dict alone would print as Python's repr and read back as the same value.
  if (out.length === 1 && typeof out[0] === 'object' && out[0] !== null && !(out[0] instanceof PyFloat)) return out[0]
  return literalValue(out.map(text).join(''))
}
