// Which consecutive tasks may go to a host as one script. A task starts a new segment when it needs a
// decision on the controller first: it reads a variable registered earlier in the segment, it is a controller
// task, it is delegated or run once, it retries, its failure is judged on the controller (failed_when), or it
// escalates privileges differently. A variable defined by a template (a role default, a play var) reads what
// its template reads, so a task reading it reads those too: a register hidden behind a default splits the
// batch as a direct read does. This is computed once per task list, the same for every host.

import type { TaskDef } from '../playbook/model.js'

export interface SegmentRules {
  /** True for task types that run on the controller or steer the run (debug, set_fact, assert, meta...). */
  isLocal(module: string): boolean
  /** Top-level variable names a value reads (strings with {{ }} and bare expressions). */
  reads(value: unknown, bare: boolean): string[]
  /** Top-level names the definitions of a variable read (play vars, role defaults and vars, -e). */
  definitionReads?(name: string): string[]
}

export type Segment = TaskDef[]

function taskReads(t: TaskDef, rules: SegmentRules): Set<string> {
  const names = new Set<string>()
  const add = (v: unknown, bare: boolean) => { for (const n of rules.reads(v, bare)) names.add(n) }
  for (const w of t.when) if (typeof w === 'string') add(w, true)
  add(t.loop, false)
  add(t.args, false)
  add(t.vars, false)
  add(t.environment, false)
  add(t.delegateTo, false)
  // Through the variables' own definitions, to what they read in turn.
  for (const n of names) for (const r of rules.definitionReads?.(n) ?? []) names.add(r)
  return names
}

function alone(t: TaskDef, rules: SegmentRules): boolean {
  return rules.isLocal(t.module) || t.runOnce || t.delegateTo !== undefined || t.until !== undefined
}

export function segmentTasks(tasks: TaskDef[], rules: SegmentRules): Segment[] {
  const segments: Segment[] = []
  let cur: TaskDef[] = []
  let registered = new Set<string>()
  let closeAfter = false
  const flush = () => {
    if (cur.length) segments.push(cur)
    cur = []
    registered = new Set()
    closeAfter = false
  }
  for (const t of tasks) {
    const first = cur[0]
    const differentBecome = first !== undefined && (first.become !== t.become || first.becomeUser !== t.becomeUser)
    const dependsOnPending = [...taskReads(t, rules)].some((n) => registered.has(n))
    if (closeAfter || alone(t, rules) || differentBecome || dependsOnPending || (first && alone(first, rules))) flush()
    cur.push(t)
    if (t.register) registered.add(t.register)
    if (t.failedWhen !== undefined || alone(t, rules)) closeAfter = true
  }
  flush()
  return segments
}
