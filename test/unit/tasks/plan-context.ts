// A PlanContext for planning tests: fixed facts and variables, templates and controller files from maps.

import { evaluateDefined, parseExpr, renderString, Undefined } from '../../../src/engine/expr/index.js'
import type { Facts, PlanContext } from '../../../src/engine/task.js'

export function planContext(opts: {
  facts?: Facts
  vars?: Record<string, unknown>
  templates?: Record<string, string>
  files?: Record<string, string | Buffer>
  check?: boolean
  diff?: boolean
} = {}): PlanContext {
  const vars = opts.vars ?? {}
  return {
    host: 'node1',
    where: { file: 'roles/x/tasks/main.yaml', line: 3, host: 'node1', task: 't' },
    facts: opts.facts ?? {},
    check: opts.check ?? false,
    diff: opts.diff ?? true,
    vars: (name) => {
      if (!(name in vars)) throw new Error(`undefined variable ${name}`)
      return vars[name]
    },
    hasVar: (name) => name in vars,
    evaluate: (expr) => evalSimple(expr, vars),
    render: (template) => renderString(template, {
      lookup: (n) => (n in vars ? vars[n] : new Undefined(n)),
      raw: (n) => (n in vars ? { value: vars[n] } : undefined),
    }),
    renderTemplate: (name) => {
      const t = opts.templates?.[name]
      if (t === undefined) throw new Error(`no template ${name}`)
      return t
    },
    readLocalFile: (path) => {
      const f = opts.files?.[path]
      if (f === undefined) throw new Error(`no file ${path}`)
      return Buffer.from(f)
    },
    statLocal: (path) => {
      const below = Object.keys(opts.files ?? {}).filter((f) => f.startsWith(`${path.replace(/\/+$/, '')}/`))
      if (!below.length && opts.files?.[path] === undefined) throw new Error(`no file ${path}`)
      if (!below.length) return { path, dir: false, mode: 0o644 }
      const rels = below.map((f) => f.slice(path.replace(/\/+$/, '').length + 1)).sort()
      const dirs = [...new Set(rels.flatMap((r) => r.split('/').slice(0, -1).map((_, i, a) => a.slice(0, i + 1).join('/'))))].sort()
      return { path: path.replace(/\/+$/, ''), dir: true, mode: 0o755, files: rels.map((rel) => ({ rel, mode: 0o644 })), dirs }
    },
  }
}

function evalSimple(expr: string, vars: Record<string, unknown>): unknown {
  return evaluateDefined(parseExpr(expr), { lookup: (n) => (n in vars ? vars[n] : new Undefined(n)) })
}
