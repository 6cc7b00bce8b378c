// Evaluates a parsed expression against an environment of variables.
// Undefined names yield `Undefined` values that fail on first real use (StrictUndefined).
import { PyFloat } from '../py-float.js'
import { ExprError } from '../errors.js'
import type { Expr, Node } from './ast.js'
import { applyFilter } from './filters.js'
import { callGlobal } from './globals.js'
import { callMethod } from './methods.js'
import { binaryOp } from './operators.js'
import { contains, isDict, pyCompare, pyEquals, truthy } from './python.js'
import { applyTest } from './jinja-tests.js'
import { isUndefined, need, Undefined } from './undefined.js'
import type { Env } from './env.js'
import { getItem } from './get-item.js'
import { setEntry } from '../dict-entry.js'

export type { Env }

export function evaluate(e: Expr, env: Env): unknown {
  return ev(e.node, env)
}

/** Evaluate and insist on a defined result. */
export function evaluateDefined(e: Expr, env: Env): unknown {
  return need(ev(e.node, env))
}

/** How the user wrote a name chain, for messages: `a.b['c']`. */
export function nodeText(n: Node): string {
  switch (n.k) {
    case 'name':
      return n.name
    case 'attr':
      return `${nodeText(n.obj)}.${n.name}`
    case 'index':
      return n.index.k === 'lit' ? `${nodeText(n.obj)}[${JSON.stringify(n.index.v)}]` : `${nodeText(n.obj)}[...]`
    case 'lit':
      return JSON.stringify(n.v)
    default:
      return 'expression'
  }
}

function sliceOf(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (!Array.isArray(obj) && typeof obj !== 'string') throw new ExprError(`cannot slice a value of type ${typeof obj}`)
  const items: unknown[] = Array.isArray(obj) ? obj : [...obj]
  const len = items.length
  const st = step == null ? 1 : Number(step)
  if (st === 0) throw new ExprError('slice step cannot be zero')
  const norm = (v: unknown, dflt: number): number => {
    if (v == null) return dflt
    let n = Number(v)
    if (n < 0) n += len
    return st > 0 ? Math.min(Math.max(n, 0), len) : Math.min(Math.max(n, -1), len - 1)
  }
  const a = norm(start, st > 0 ? 0 : len - 1)
  const b = norm(stop, st > 0 ? len : -1)
  const out: unknown[] = []
  for (let i = a; st > 0 ? i < b : i > b; i += st) out.push(items[i])
  return typeof obj === 'string' ? out.join('') : out
}

function kwargsOf(pairs: Array<[string, Node]>, env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of pairs) setEntry(out, k, ev(v, env))
  return out
}

type NodeOf<K extends Node['k']> = Extract<Node, { k: K }>

function evCall(n: NodeOf<'call'>, env: Env): unknown {
  const args = n.args.map((a) => need(ev(a, env)))
  const kwargs = kwargsOf(n.kwargs, env)
  for (const v of Object.values(kwargs)) need(v)
  if (n.callee.k === 'attr') return callMethod(need(ev(n.callee.obj, env)), n.callee.name, args, kwargs)
  if (n.callee.k === 'name') return callGlobal(n.callee.name, args, kwargs, env)
  throw new ExprError('only methods and the functions range(), lookup() and query() can be called')
}

function evTest(n: NodeOf<'test'>, env: Env): unknown {
  const value = ev(n.value, env)
  const args = n.args.map((a) => need(ev(a, env)))
  const kwargs = kwargsOf(n.kwargs, env)
  for (const v of Object.values(kwargs)) need(v)
  const r = applyTest(n.name, value, args, kwargs)
  return n.negate ? !r : r
}

function evUnary(n: NodeOf<'unary'>, env: Env): unknown {
  const v = need(ev(n.operand, env))
  if (n.op === 'not') return !truthy(v)
  if (v instanceof PyFloat) return n.op === '-' ? new PyFloat(-v.value) : v
  if (typeof v !== 'number' && typeof v !== 'boolean') throw new ExprError(`unary '${n.op}' needs a number, not ${JSON.stringify(v)}`)
  return n.op === '-' ? -Number(v) : Number(v)
}

function compareOne(op: NodeOf<'compare'>['rest'][number][0], left: unknown, right: unknown): boolean {
  switch (op) {
    case '==': return pyEquals(left, right)
    case '!=': return !pyEquals(left, right)
    case 'in': return contains(right, left)
    case 'not in': return !contains(right, left)
    case '<': return pyCompare(left, right, op) < 0
    case '<=': return pyCompare(left, right, op) <= 0
    case '>': return pyCompare(left, right, op) > 0
    case '>=': return pyCompare(left, right, op) >= 0
  }
}

/** `a < b < c` as Python chains it: each pair in turn, stopping at the first that fails. */
function compareChain(n: NodeOf<'compare'>, env: Env): boolean {
  let left = need(ev(n.first, env))
  for (const [op, rn] of n.rest) {
    const right = need(ev(rn, env))
    if (!compareOne(op, left, right)) return false
    left = right
  }
  return true
}

export function ev(n: Node, env: Env): unknown {
  switch (n.k) {
    case 'lit':
      return n.v
    case 'name':
      return env.lookup(n.name)
    case 'list':
      return n.items.map((x) => need(ev(x, env)))
    case 'tuple':
      return n.items.map((x) => need(ev(x, env)))
    case 'dict': {
      const out: Record<string, unknown> = {}
      for (const [k, v] of n.entries) setEntry(out, String(need(ev(k, env))), need(ev(v, env)))
      return out
    }
    case 'attr': {
      const obj = need(ev(n.obj, env))
      const text = nodeText(n)
      if (isDict(obj)) return getItem(obj, n.name, text)
      return new Undefined(text)
    }
    case 'index': {
      const obj = need(ev(n.obj, env))
      return getItem(obj, need(ev(n.index, env)), nodeText(n))
    }
    case 'slice': {
      const obj = need(ev(n.obj, env))
      const part = (x?: Node): unknown => (x ? need(ev(x, env)) : null)
      return sliceOf(obj, part(n.start), part(n.stop), part(n.step))
    }
    case 'call':
      return evCall(n, env)
    case 'filter': {
      const value = ev(n.value, env)
      const args = n.args.map((a) => ev(a, env))
      return applyFilter(n.name, value, args, kwargsOf(n.kwargs, env))
    }
    case 'test':
      return evTest(n, env)
    case 'unary':
      return evUnary(n, env)
    case 'binary':
      return binaryOp(n.op, need(ev(n.left, env)), need(ev(n.right, env)))
    case 'compare':
      return compareChain(n, env)
    case 'and': {
      const l = need(ev(n.left, env))
      return truthy(l) ? need(ev(n.right, env)) : l
    }
    case 'or': {
      const l = need(ev(n.left, env))
      return truthy(l) ? l : need(ev(n.right, env))
    }
    case 'cond': {
      if (truthy(need(ev(n.test, env)))) return ev(n.then, env)
      // Jinja: a missing else branch yields undefined, which prints as an empty string.
      return n.else ? ev(n.else, env) : ''
    }
  }
}

export { isUndefined }
