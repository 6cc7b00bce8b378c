// Checks a loaded play can take before any host is touched: every expression parses and names only filters
// and tests kubeseed has, and every notify names a handler. A mistake here would otherwise surface mid-run,
// on each host, after connections were opened.

import { KubeseedError, PlaybookError, type Where } from '../errors.js'
import { parseExpr } from '../expr/parser.js'
import { parseTemplate } from '../expr/jinja-string-parse.js'
import { filterName } from '../expr/filters.js'
import { testName } from '../expr/jinja-tests.js'
import { isDict } from '../expr/python.js'
import type { Item, TaskDef } from './model.js'

/** Every filter and test node under an AST (expression or template), whatever its shape. */
function unknownNames(tree: unknown, out: string[] = []): string[] {
  if (Array.isArray(tree)) tree.forEach((x) => unknownNames(x, out))
  else if (tree && typeof tree === 'object') {
    const n = tree as { k?: string; name?: unknown }
    if (n.k === 'filter' && typeof n.name === 'string' && !filterName(n.name)) out.push(`filter '${n.name}'`)
    if (n.k === 'test' && typeof n.name === 'string' && !testName(n.name)) out.push(`test '${n.name}'`)
    for (const v of Object.values(tree)) if (v && typeof v === 'object') unknownNames(v, out)
  }
  return out
}

function checkText(text: string, bare: boolean, what: string, where: Where): void {
  try {
    const tree = bare && !text.includes('{{') ? parseExpr(text) : parseTemplate(text)
    const unknown = unknownNames(tree)
    if (unknown.length) {
      throw new PlaybookError(`${what}: ${unknown[0]} is not supported by kubeseed in "${text}"`, where,
        'see the README for the filters and tests kubeseed supports, or compute the value in the inventory')
    }
  } catch (e) {
    if (e instanceof PlaybookError) throw e
    const msg = e instanceof KubeseedError ? e.message : String(e)
    throw new PlaybookError(`${what}: ${msg.replace(/\s*\n[\s\S]*$/, '')}`, where, 'fix the expression')
  }
}

function checkValue(v: unknown, what: string, where: Where): void {
  if (typeof v === 'string') { if (v.includes('{{') || v.includes('{%')) checkText(v, false, what, where) }
  else if (Array.isArray(v)) v.forEach((x) => checkValue(x, what, where))
  else if (isDict(v)) Object.values(v).forEach((x) => checkValue(x, what, where))
}

function checkTask(t: TaskDef): void {
  const conds: Array<[string, Array<string | boolean> | undefined]> = [['when', t.when], ['changed_when', t.changedWhen], ['failed_when', t.failedWhen]]
  for (const [what, list] of conds) for (const c of list ?? []) if (typeof c === 'string') checkText(c, true, what, t.where)
  if (t.until !== undefined) checkText(t.until, true, 'until', t.where)
  checkValue(t.args, `${t.module} arguments`, t.where)
  checkValue(t.loop, 'loop', t.where)
  if (t.delegateTo) checkValue(t.delegateTo, 'delegate_to', t.where)
}

function tasksOf(items: Item[]): TaskDef[] {
  return items.flatMap((i) => (i.kind === 'task' ? [i] : tasksOf([...i.block, ...i.rescue, ...i.always])))
}

export function checkPlayStatically(items: Item[], handlers: TaskDef[]): void {
  const tasks = tasksOf(items)
  for (const t of [...tasks, ...handlers]) checkTask(t)
  const answers = new Set(handlers.flatMap((h) => [h.name, ...(h.listen ?? [])]))
  for (const t of [...tasks, ...handlers]) {
    for (const n of t.notify) {
      if (!n.includes('{{') && !answers.has(n)) {
        throw new PlaybookError(`notify '${n}' names no handler of this play`, t.where,
          answers.size ? `handlers: ${[...answers].join(', ')}` : 'add a handler with that name (or listen:) under handlers:')
      }
    }
  }
}
