// The top-level variable names an expression or template reads. The runner uses them to
// decide which tasks depend on each other's results and so which can be batched together.
import type { Node } from './ast.js'
import { isDict } from './python.js'
import { parseExpr } from './parser.js'
import { isTemplated } from './jinja-string-render.js'
import { parseTemplate, type TNode } from './jinja-string-parse.js'

const GLOBAL_FUNCTIONS = new Set(['range', 'lookup', 'query', 'q'])

function walk(n: Node | undefined, bound: ReadonlySet<string>, out: Set<string>): void {
  if (!n) return
  switch (n.k) {
    case 'lit':
      return
    case 'name':
      if (!bound.has(n.name)) out.add(n.name)
      return
    case 'list':
    case 'tuple':
      n.items.forEach((x) => walk(x, bound, out))
      return
    case 'dict':
      n.entries.forEach(([k, v]) => {
        walk(k, bound, out)
        walk(v, bound, out)
      })
      return
    case 'attr':
      walk(n.obj, bound, out)
      return
    case 'index':
      walk(n.obj, bound, out)
      walk(n.index, bound, out)
      return
    case 'slice':
      walk(n.obj, bound, out)
      walk(n.start, bound, out)
      walk(n.stop, bound, out)
      walk(n.step, bound, out)
      return
    case 'call':
      walkCall(n, bound, out)
      return
    case 'filter':
    case 'test':
      walk(n.value, bound, out)
      n.args.forEach((x) => walk(x, bound, out))
      n.kwargs.forEach(([, x]) => walk(x, bound, out))
      return
    case 'unary':
      walk(n.operand, bound, out)
      return
    case 'binary':
    case 'and':
    case 'or':
      walk(n.left, bound, out)
      walk(n.right, bound, out)
      return
    case 'compare':
      walk(n.first, bound, out)
      n.rest.forEach(([, x]) => walk(x, bound, out))
      return
    case 'cond':
      walk(n.then, bound, out)
      walk(n.test, bound, out)
      walk(n.else, bound, out)
      return
  }
}

function walkCall(n: Extract<Node, { k: 'call' }>, bound: ReadonlySet<string>, out: Set<string>): void {
  if (n.callee.k === 'name' && GLOBAL_FUNCTIONS.has(n.callee.name)) {
    // lookup('vars', 'name') reads a variable by name.
    const [plugin, ...terms] = n.args
    if (n.callee.name !== 'range' && plugin?.k === 'lit' && plugin.v === 'vars') {
      for (const t of terms) if (t.k === 'lit' && typeof t.v === 'string' && !bound.has(t.v)) out.add(t.v)
    }
  } else walk(n.callee, bound, out)
  n.args.forEach((x) => walk(x, bound, out))
  n.kwargs.forEach(([, x]) => walk(x, bound, out))
}

function walkTemplate(nodes: TNode[], bound: Set<string>, out: Set<string>): void {
  for (const n of nodes) {
    switch (n.k) {
      case 'text':
        break
      case 'out':
        walk(n.expr.node, bound, out)
        break
      case 'if':
        for (const b of n.branches) {
          walk(b.cond.node, bound, out)
          walkTemplate(b.body, new Set(bound), out)
        }
        if (n.else) walkTemplate(n.else, new Set(bound), out)
        break
      case 'for': {
        walk(n.iter.node, bound, out)
        const inner = new Set([...bound, ...n.targets, 'loop'])
        walk(n.cond?.node, inner, out)
        walkTemplate(n.body, inner, out)
        if (n.else) walkTemplate(n.else, new Set(bound), out)
        break
      }
      case 'set':
        walk(n.expr.node, bound, out)
        n.targets.forEach((t) => bound.add(t))
        break
      case 'setblock':
        walkTemplate(n.body, new Set(bound), out)
        bound.add(n.target)
        break
    }
  }
}

/** Names a bare expression (a `when:` condition) reads. */
export function freeVars(expr: string): Set<string> {
  const out = new Set<string>()
  walk(parseExpr(expr).node, new Set(), out)
  return out
}

/** Names a templated string reads; none for a plain string. */
export function templateFreeVars(s: string): Set<string> {
  const out = new Set<string>()
  if (isTemplated(s)) walkTemplate(parseTemplate(s).nodes, new Set(), out)
  return out
}

/** Names any value (strings nested in lists and dicts) reads when rendered. */
export function valueFreeVars(v: unknown, out = new Set<string>()): Set<string> {
  if (typeof v === 'string') for (const n of templateFreeVars(v)) out.add(n)
  else if (Array.isArray(v)) v.forEach((x) => valueFreeVars(x, out))
  else if (isDict(v)) Object.values(v).forEach((x) => valueFreeVars(x, out))
  return out
}
