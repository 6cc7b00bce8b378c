// A step's output or a controller task's answer as a task result: status, register data, message,
// with changed_when / failed_when / ignore_errors applied. Pure: no I/O, no runner state.

import type { TaskDef } from '../playbook/model.js'
import type { Status } from '../report/events.js'
import type { StepOutput } from '../step/types.js'
import type { LocalResult } from '../task.js'
import { failureSummary } from '../step/failure-lines.js'
import type { Scope } from '../vars/scope.js'

export interface TaskResult {
  status: Status
  data: Record<string, unknown>
  msg?: string
  changes?: string[]
  diff?: string
  ignored?: boolean
  /** Show msg even without -v. */
  display?: boolean
}

export function resultOf(out: StepOutput): TaskResult {
  const failed = out.rc !== 0
  const changed = out.changes.length > 0
  const data: Record<string, unknown> = {
    rc: out.rc,
    stdout: out.stdout.replace(/\n$/, ''),
    stderr: out.stderr.replace(/\n$/, ''),
    stdout_lines: out.stdout.replace(/\n$/, '').split('\n').filter((l, i, a) => !(a.length === 1 && l === '')),
    stderr_lines: out.stderr.replace(/\n$/, '').split('\n').filter((l, i, a) => !(a.length === 1 && l === '')),
    changed,
    failed,
    changes: out.changes,
  }
  if (out.skipped) data.skipped = true
  const msg = failed
    ? failureSummary(out.stderr, out.stdout, out.rc)
    : out.skipped ?? (out.changes.length ? out.changes.join('; ') : undefined)
  data.msg = msg ?? ''
  return {
    status: failed ? 'failed' : out.skipped ? 'skipped' : changed ? 'changed' : 'ok',
    data, msg, changes: out.changes, diff: out.diff || undefined,
  }
}

export function applyConditions(t: TaskDef, scope: Scope, res: TaskResult): TaskResult {
  if (t.changedWhen === undefined && t.failedWhen === undefined) {
    if (res.status === 'failed' && t.ignoreErrors) return { ...res, ignored: true }
    return res
  }
  const sc = scope.child({ source: 'task result', vars: t.register ? { [t.register]: res.data } : {}, literal: true })
  const evalAll = (conds: Array<string | boolean>) => conds.every((c) => sc.truthy(c, t.where))
  // As Ansible: both are judged on the result, each on its own; skipped stays skipped.
  const changed = t.changedWhen !== undefined ? evalAll(t.changedWhen) : res.status === 'changed' || !!res.changes?.length
  const failed = t.failedWhen !== undefined ? evalAll(t.failedWhen) : res.status === 'failed'
  const status: Status = res.status === 'skipped' ? 'skipped' : failed ? 'failed' : changed ? 'changed' : 'ok'
  res.data.changed = status === 'changed'
  res.data.failed = status === 'failed'
  const out: TaskResult = { ...res, status }
  if (status === 'failed' && t.ignoreErrors) out.ignored = true
  if (status === 'failed' && res.status !== 'failed') out.msg = `failed_when is true: ${t.failedWhen?.join(' and ')}`
  return out
}

export function fromLocal(r: LocalResult): TaskResult {
  const status: Status = r.failed ? 'failed' : r.skipped ? 'skipped' : r.changed ? 'changed' : 'ok'
  return { status, data: { changed: !!r.changed, failed: !!r.failed, msg: r.msg ?? '', ...(r.data ?? {}) }, msg: r.msg, display: r.display }
}
