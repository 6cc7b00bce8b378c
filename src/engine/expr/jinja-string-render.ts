// Renders parsed string templates. One `{{ expr }}` alone yields the native value;
// anything else renders to a string, which becomes native if it reads as a list/dict literal.
import { ExprError, KubeseedError } from '../errors.js'
import type { Expr } from './ast.js'
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
      case 'out':
        out.push(defined(n.expr, env, `{{ ${n.expr.src} }}`))
        break
      case 'if': {
        const hit = n.branches.find((b) => truthy(defined(b.cond, env, `{% if ${b.cond.src} %}`)))
        if (hit) renderNodes(hit.body, env, out)
        else if (n.else) renderNodes(n.else, env, out)
        break
      }
      case 'for': {
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
        break
      }
      case 'set': {
        const v = defined(n.expr, env, `{% set ${n.targets.join(', ')} = ${n.expr.src} %}`)
        unpack(n.targets, v, env)
        break
      }
      case 'setblock': {
        const parts: unknown[] = []
        renderNodes(n.body, new Frame(env), parts)
        env.set(n.target, parts.map(pyStr).join(''))
        break
      }
    }
  }
}

/**
 * Render a string in `env`. Strings without template syntax come back untouched.
 * Errors are ExprErrors naming the failing expression; errors of other kinds
 * (a variable that failed to render) pass through unchanged.
 */
export function renderString(s: string, env: Env): unknown {
  if (!isTemplated(s)) return s
  const tpl = parseTemplate(s)
  const out: unknown[] = []
  try {
    renderNodes(tpl.nodes, new Frame(env), out)
  } catch (e) {
    if (e instanceof KubeseedError) throw e
    throw new ExprError(`cannot render ${JSON.stringify(s)}: ${(e as Error).message}`)
  }
  if (tpl.nodes.length === 1 && tpl.nodes[0]!.k === 'out') {
    const v = out[0]
    return typeof v === 'string' ? literalValue(v) : v
  }
  return literalValue(out.map(pyStr).join(''))
}
