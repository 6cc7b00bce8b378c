// Telling results: each task result as an event (no_log hides what it must) counted in the host's recap.
// Under the linear strategy a segment's events are held and told task by task once every host is done
// with it, so output reads as Ansible's does although each host ran the whole segment in one round trip.

import type { TaskDef } from '../playbook/model.js'
import type { EventSink, RunEvent } from '../report/events.js'
import { countResult, type HostStates } from './host-state.js'
import type { TaskResult } from './results.js'

export const HIDDEN = 'the output has been hidden due to no_log: true'

/** Events held back by task id; -1 holds what belongs to no task of the segment (connects, batches). */
type Held = Map<number, RunEvent[]>

export class ToldResults {
  private held?: Held

  constructor(private readonly sink: EventSink, private readonly states: HostStates) {}

  /** Sends an event now, or holds it until its task's turn in the grouped output. */
  tell(e: RunEvent, taskId: number): void {
    const b = this.held
    if (!b) { this.sink.emit(e); return }
    const list = b.get(b.has(taskId) ? taskId : -1) ?? []
    if (!b.has(taskId) && !b.has(-1)) b.set(-1, list)
    list.push(e)
  }

  /**
   * Runs `fn` with the events of `seg`'s tasks held (when `grouped`), then tells them task by task, hosts in
   * `live` order, each after its task header (handlers have their own header). Nested calls (handlers
   * flushed from inside a segment) group their own output, then hand back.
   */
  async grouped(seg: TaskDef[], live: string[], grouped: boolean, handler: boolean, fn: () => Promise<void>): Promise<void> {
    const outer = this.held
    const held: Held | undefined = grouped ? new Map(seg.map((t) => [t.id, [] as RunEvent[]])) : undefined
    this.held = held
    try {
      await fn()
    } finally {
      this.held = outer
      if (held) this.release(held, seg, live, handler)
    }
  }

  private release(held: Held, seg: TaskDef[], live: string[], handler: boolean): void {
    const rank = new Map(live.map((h, i) => [h, i]))
    const byHost = (list: RunEvent[]) => list
      .map((e, i) => ({ e, i, r: rank.get('host' in e ? e.host : '') ?? live.length }))
      .sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e)
    for (const e of byHost(held.get(-1) ?? [])) this.sink.emit(e)
    for (const t of seg) {
      if (!handler) this.sink.emit({ type: 'task', name: t.name, task: t.id, file: t.where.file, line: t.where.line, hosts: live })
      for (const e of byHost(held.get(t.id) ?? [])) this.sink.emit(e)
    }
  }

  /** Tells one task result and counts it. */
  record(host: string, t: TaskDef, res: TaskResult, item?: string, delegatedTo?: string, counted = true): void {
    if (counted) countResult(this.states.get(host).recap, res.status, res.ignored)
    const hidden = t.noLog
    this.tell({
      type: 'result', task: t.name, taskId: t.id, host, status: res.status, item: hidden && item ? '(hidden)' : item,
      msg: hidden ? HIDDEN : res.msg,
      changes: hidden ? undefined : res.changes,
      diff: hidden ? undefined : res.diff,
      stdout: hidden ? undefined : (res.data.stdout as string | undefined),
      stderr: hidden ? undefined : (res.data.stderr as string | undefined),
      rc: res.data.rc as number | null | undefined,
      ignored: res.ignored,
      display: res.display,
      delegatedTo,
      urls: !hidden && typeof res.data.url === 'string' ? [res.data.url] : undefined,
    }, t.id)
  }

  /** The host fails with `msg` (told here unless its result was already told). */
  fail(host: string, task: string, taskId: number, msg: string, recorded = false): void {
    const s = this.states.get(host)
    if (!recorded) this.tell({ type: 'result', task, taskId, host, status: 'failed', msg }, taskId)
    if (!s.failed) s.recap.failed++
    s.failed = true
    s.failure = `task "${task}": ${msg}`
  }

  /** The host was stopped in the middle of `task` by an interruption (SIGINT). */
  interrupted(host: string, task: string, taskId: number): void {
    this.fail(host, task, taskId, 'interrupted: the task was stopped on the host before it finished (run again to complete it)')
    this.states.get(host).interruptedIn = task
  }

  unreachable(host: string, err: unknown): void {
    const s = this.states.get(host)
    s.unreachable = true
    s.recap.unreachable = true
    s.failure = err instanceof Error ? err.message : String(err)
    this.tell({ type: 'result', task: 'connect', taskId: 0, host, status: 'unreachable', msg: s.failure }, -1)
  }
}
