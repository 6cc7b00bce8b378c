// One host through one segment: plan each task's step (skips, loops, controller tasks decided here), send
// the steps to the host as one batch script, then read the results back in task order. While the host's facts
// are pending the plan is tentative: the batch carries the facts script unless planning read a fact, in which
// case nothing is told and the runner gathers facts on their own and runs the segment again.

import { performance } from 'node:perf_hooks'
import { ConnectError, formatWhere, KubeseedError, PlaybookError, StepError, type Where } from '../errors.js'
import type { TaskDef } from '../playbook/model.js'
import { FACTS_SCRIPT } from '../facts/script.js'
import { buildBatch, parseBatch, parseBatchFacts } from '../step/batch.js'
import type { Step, StepOutput } from '../step/types.js'
import type { LocalEntry, LocalTaskType, PlanContext, RemoteTaskType, TaskType } from '../task.js'
import type { Become, Connection } from '../transport/types.js'
import type { Scope } from '../vars/scope.js'
import type { HostScopes } from './host-scope.js'
import { countResult, type HostState, type HostStates } from './host-state.js'
import type { PendingFacts } from './pending-facts.js'
import type { PlayCtx } from './play-context.js'
import { applyConditions, fromLocal, resultOf, type TaskResult } from './results.js'
import type { Segment } from './segments.js'
import { HIDDEN, type ToldResults } from './told-results.js'

export interface SegmentOptions {
  check: boolean
  diff: boolean
  taskType(name: string): TaskType | undefined
  parseParams(type: TaskType, raw: unknown, where: Where): Record<string, unknown>
  renderTemplate(source: string, name: string, scope: Scope, host: string): string
  readTemplate(name: string, roleDir: string | undefined, playbookDir: string): string
  readLocalFile(path: string, baseDirs: string[]): Buffer
  statLocal(path: string, baseDirs: string[]): LocalEntry
  signal?: AbortSignal
}

export interface SegmentDeps {
  o: SegmentOptions
  states: HostStates
  scopes: HostScopes
  told: ToldResults
  connection(host: string, ctx: PlayCtx): Promise<Connection>
  playbookDir: string
  pendingFacts: PendingFacts
  /** Facts script output of a host has arrived (here, in a batch that carried it). */
  factsArrived(host: string, text: string): void
}

/** A planned step waiting for the batch, with what reading its result needs. */
interface Pending {
  t: TaskDef
  p: Record<string, unknown>
  type: RemoteTaskType
  scope: Scope
  pctx: PlanContext
  label?: string
  step: Step
}

const CHECK_SKIP: TaskResult = { status: 'skipped', data: { skipped: true }, msg: 'skipped in check mode' }

export class HostSegment {
  private readonly pending: Pending[] = []
  /** Results are told in task order once the batch has run: a skip planned after a step that then failed
   * never happened. Numbers index `pending`; functions are results decided on the controller. */
  private readonly order: Array<number | (() => void)> = []
  /** Looped tasks by id: their items' results so far, how many items there are, why unignored ones failed. */
  private readonly loops = new Map<number, { results: Record<string, unknown>[]; size: number; failures: string[] }>()
  private readonly s: HostState
  /** A task failed while being prepared and does not ignore errors: nothing after it is planned. */
  private stopped = false
  /** The host's facts are pending and this batch is to carry them (the runner said the segment may). */
  private readonly tentative: boolean

  constructor(private readonly d: SegmentDeps, private readonly seg: Segment, private readonly host: string, private readonly ctx: PlayCtx, carryFacts = false) {
    this.s = d.states.get(host)
    this.tentative = carryFacts && this.s.factsPending
  }

  /** False when planning read the pending facts: nothing was told or sent, the segment must run again with facts. */
  async run(): Promise<boolean> {
    this.tick()
    const touched = this.d.pendingFacts.touched
    let planned = false
    try {
      for (const t of this.seg) {
        if (this.s.failed || this.s.ended || this.stopped) break
        if (!(await this.waitFor(this.plan(t)))) break
      }
      if (this.tentative && this.d.pendingFacts.touched !== touched) return false
      planned = true
      if (!this.pending.length) {
        for (const o of this.order) if (typeof o === 'function') o()
        this.flushLoops()
        return true
      }
      const sent = await this.waitFor(this.send())
      if (!sent) return true
      const { outs, execHost, attempts } = sent
      await this.waitFor(this.read(outs, execHost, attempts))
      this.flushLoops()
      // Interrupted: the first step without a result is the one the host was stopped in.
      const stoppedIn = this.d.o.signal?.aborted ? outs.findIndex((o) => o.rc === null) : -1
      if (stoppedIn >= 0 && !this.s.failed) this.d.told.interrupted(this.host, this.pending[stoppedIn]!.t.name, this.pending[stoppedIn]!.t.id)
    } catch (e) {
      if (!planned && this.tentative && this.d.pendingFacts.touched !== touched) return false
      this.failed(e)
    } finally {
      this.tock()
    }
    return true
  }

  /**
   * Controller time (-v): only the synchronous stretches of this host's planning and reading. Every await goes
   * through waitFor, so what other hosts do meanwhile, and the wait on this one, are not counted.
   */
  private since?: number

  private tick(): void {
    this.since = performance.now()
  }

  private tock(): void {
    if (this.since !== undefined) this.s.recap.controllerMs += performance.now() - this.since
    this.since = undefined
  }

  private async waitFor<T>(p: T | Promise<T>): Promise<T> {
    this.tock()
    try {
      return await p
    } finally {
      this.tick()
    }
  }

  /** Before any pending step there is nothing to wait for: tell now (a tentative plan tells nothing yet). */
  private defer(fn: () => void): void {
    if (this.pending.length || this.tentative) this.order.push(fn)
    else fn()
  }

  /**
   * An error while preparing a task (its loop, condition or arguments fail to template, a parameter the task
   * cannot take) is that task's own failure, told in its turn after the tasks before it in the batch have run;
   * ignore_errors covers it, as in Ansible.
   */
  private planFailed(e: unknown, t: TaskDef, scope: Scope, label?: string): void {
    if (!(e instanceof KubeseedError) || e instanceof ConnectError) throw e
    const msg = e.where ? e.message : `${formatWhere({ ...t.where, host: this.host })}: ${e.message}`
    this.defer(() => {
      // Bad input (exit 4) unless ignored, as an error caught anywhere else while planning.
      if (!t.ignoreErrors && !(e instanceof StepError)) this.s.inputError = true
      this.finish(t, scope, { status: 'failed', data: { failed: true, changed: false, msg }, msg }, label)
      // An item that cannot be prepared ends its loop there, as in Ansible: the items after it do not run.
      if (!t.ignoreErrors && this.loops.has(t.id)) this.endLoop(t)
    })
    if (!t.ignoreErrors) this.stopped = true
  }

  /** Plans one task (each loop item); false when a controller task failed the host. */
  private async plan(t: TaskDef): Promise<boolean> {
    const base = this.d.scopes.task(this.host, t, this.ctx)
    let items: Array<{ value: unknown; index: number } | undefined>
    try {
      items = this.loopItems(t, base)
    } catch (e) {
      this.planFailed(e, t, base)
      return true
    }
    const type = this.d.o.taskType(t.module)
    if (!type || type.kind === 'run-control') throw new PlaybookError(`unknown module '${t.module}'`, t.where)
    const firstStep = this.pending.length
    for (const it of items) {
      let scope = base
      let label: string | undefined
      try {
        scope = it ? this.d.scopes.task(this.host, t, this.ctx, { name: t.loopVar, value: it.value, index: it.index }) : base
        label = it ? this.itemLabel(t, scope, it.value) : undefined
        if (!(await this.planItem(t, type, scope, label))) return false
      } catch (e) {
        this.planFailed(e, t, scope, label)
        if (this.stopped) break
      }
    }
    if (t.loop !== undefined) this.markLoopSteps(firstStep)
    return true
  }

  /** The steps of one looped task, from `from` on: the batch runs them all before a failure among them ends it. */
  private markLoopSteps(from: number): void {
    const last = this.pending.length - 1
    for (let i = from; i <= last; i++) {
      const x = this.pending[i]!
      x.step = { ...x.step, loopItem: { last: i === last } }
    }
  }

  /** Plans one task or loop item; false when a controller task failed the host. */
  private async planItem(t: TaskDef, type: RemoteTaskType | LocalTaskType, scope: Scope, label: string | undefined): Promise<boolean> {
    const where = { ...t.where, host: this.host }
    if (!t.when.every((c) => scope.truthy(c, where))) {
      this.defer(() => this.finish(t, scope, { status: 'skipped', data: { skipped: true, changed: false } }, label))
      return true
    }
    const p = this.d.o.parseParams(type, scope.render(t.args, where), where)
    const pctx = this.planContext(t, scope, where)
    const checkSkip = (t.checkMode ?? this.d.o.check) && type.supportsCheck === false
    if (type.kind === 'local') {
      if (checkSkip) { this.finish(t, scope, CHECK_SKIP, label); return true }
      const r = await this.waitFor(type.run(p, pctx))
      if (r.facts) Object.assign(this.s.registered, r.facts)
      this.finish(t, scope, fromLocal(r), label)
      return !this.s.failed
    }
    if (checkSkip) { this.defer(() => this.finish(t, scope, CHECK_SKIP, label)); return true }
    this.pending.push({ t, p, type, scope, pctx, label, step: this.stepOf(type.plan(p, pctx), t, scope, where) })
    this.order.push(this.pending.length - 1)
    return true
  }

  private loopItems(t: TaskDef, base: Scope): Array<{ value: unknown; index: number } | undefined> {
    if (t.loop === undefined) return [undefined]
    const list = base.render(t.loop, t.where)
    if (!Array.isArray(list)) {
      throw new PlaybookError(`loop must give a list, got ${typeof list}`, { ...t.where, host: this.host }, 'use a list or a filter such as dict2items')
    }
    this.loops.set(t.id, { results: [], size: list.length, failures: [] })
    if (!list.length) {
      this.defer(() => {
        this.d.told.record(this.host, t, { status: 'skipped', data: { results: [], msg: 'no items' } })
        if (t.register) this.s.registered[t.register] = { results: [], skipped: true, changed: false }
      })
    }
    return list.map((value, index) => ({ value, index }))
  }

  /** The planned step with the task's environment, check_mode and error handling. */
  private stepOf(step: Step, t: TaskDef, scope: Scope, where: Where): Step {
    const env: Record<string, string> = { ...(step.env ?? {}) }
    for (const e of t.environment) {
      const vals = scope.render(e, where)
      if (vals && typeof vals === 'object') for (const [k, v] of Object.entries(vals)) env[k] = String(v)
    }
    if (t.checkMode !== undefined) env.KS_CHECK = t.checkMode ? '1' : '0'
    return { ...step, env, ignoreErrors: t.ignoreErrors || (t.failedWhen !== undefined) || step.ignoreErrors }
  }

  /**
   * Sends the pending steps as one script (again while `until` is false and retries are left); undefined when
   * the facts it carried failed, so no step ran.
   */
  private async send(): Promise<{ outs: StepOutput[]; execHost: string; attempts: number } | undefined> {
    const first = this.pending[0]!
    const t = first.t
    const execHost = t.delegateTo ? String(first.scope.render(t.delegateTo, t.where)) : this.host
    const become: Become | null = t.become
      ? { method: 'sudo', user: t.becomeUser ?? 'root', password: becomePassword(first.scope) }
      : null
    // retries and delay may be templates (kubespray's "{{ drain_retries }}"), rendered for this host.
    const whole = (v: number | string, what: string): number => {
      const n = typeof v === 'number' ? v : Number(String(first.scope.render(v, t.where)).trim())
      if (!Number.isInteger(n) || n < 0) throw new PlaybookError(`'${what}' must be a whole number, not ${JSON.stringify(v)}`, { ...t.where, host: this.host })
      return n
    }
    const attempts = t.until !== undefined ? whole(t.retries ?? 3, 'retries') + 1 : 1
    const delay = t.until !== undefined ? whole(t.delay, 'delay') : 0
    const outs: StepOutput[] = []
    // A looped task retries item by item, as Ansible does: the next attempt sends only the items whose
    // `until` is still false (a task with `until` is a segment of its own, so every pending step is its item).
    let todo = this.pending.map((_, i) => i)
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const conn = await this.waitFor(this.d.connection(execHost, this.ctx))
      const facts = this.tentative && attempt === 1 ? FACTS_SCRIPT : undefined
      const batch = buildBatch(todo.map((i) => this.pending[i]!.step), { check: this.d.o.check, diff: this.d.o.diff, facts })
      const t0 = Date.now()
      const r = await this.waitFor(conn.exec({ script: batch.script, become, signal: this.d.o.signal }))
      this.d.told.tell({ type: 'batch', host: execHost, steps: todo.length, roundTrip: conn.roundTrips, ms: Date.now() - t0 }, -1)
      if (facts !== undefined && !this.factsCarried(r.stdout.toString(), r.stderr.toString(), batch, r.code)) return undefined
      const got = parseBatch(r.stdout.toString(), r.stderr.toString(), batch)
      todo.forEach((i, k) => { outs[i] = got[k]! })
      if (this.d.o.signal?.aborted && got.some((o) => o.rc === null)) break
      if (r.code !== 0 && got.every((o) => o.rc === null)) {
        const err = r.stderr.toString()
        const sudoProblem = become && /sudo|password/i.test(err)
        throw new StepError(sudoProblem ? 'privilege escalation failed' : 'the script could not run', { host: execHost, task: t.name }, r.code ?? -1, err)
      }
      if (attempt === attempts) break
      todo = todo.filter((i) => outs[i]!.rc === null || !untilHolds(t, this.pending[i]!.scope, resultOf(outs[i]!)))
      if (!todo.length) break
      await this.waitFor(new Promise((r2) => setTimeout(r2, delay * 1000)))
    }
    return { outs, execHost, attempts }
  }

  /** Takes the facts a batch carried; false (the host failed, as a separate facts exec would) when they failed. */
  private factsCarried(stdout: string, stderr: string, batch: ReturnType<typeof buildBatch>, code: number | null): boolean {
    const f = parseBatchFacts(stdout, batch)
    if (f && f.rc === 0) {
      this.d.factsArrived(this.host, f.text)
      return true
    }
    this.s.factsPending = false
    if (this.d.o.signal?.aborted) { this.d.told.interrupted(this.host, 'Gathering Facts', 0); return false }
    const err = new StepError('gathering facts failed', { host: this.host, task: 'Gathering Facts' }, f?.rc ?? code ?? -1, stderr)
    this.d.told.fail(this.host, 'Gathering Facts', 0, err.message)
    return false
  }

  /** Tells every result in task order, stopping where the host failed or the batch stopped. */
  private async read(outs: StepOutput[], execHost: string, attempts: number): Promise<void> {
    for (const o of this.order) {
      if (this.s.failed) break
      if (typeof o === 'function') { o(); continue }
      const x = this.pending[o]!
      const out = outs[o]!
      if (out.rc === null) break
      let res = await this.waitFor(finishRemote(x, out, resultOf(out)))
      if (x.t.until !== undefined && !untilHolds(x.t, x.scope, res)) {
        // The last attempt's own failure (apt's E: line, a pull's error) is what the operator needs first.
        const spent = `still not true after ${attempts} attempts: ${x.t.until}`
        res = { ...res, status: 'failed', msg: res.status === 'failed' && res.msg ? `${res.msg} (${spent})` : spent }
      }
      res = applyConditions(x.t, x.scope, res)
      this.finish(x.t, x.scope, res, x.label, execHost !== this.host ? execHost : undefined)
      if (this.s.failed) break
    }
  }

  private failed(e: unknown): void {
    if (this.s.factsPending) {
      // Whatever stopped the host before its facts came: others reading them through hostvars find none.
      this.s.factsPending = false
      this.s.playScope = undefined
      this.s.hostScope = undefined
    }
    if (e instanceof ConnectError) { this.d.told.unreachable(this.host, e); return }
    const t = this.pending[0]?.t ?? this.seg[0]!
    // An error raised without a location (a controller file or template not found) gets the task's.
    const located = e instanceof KubeseedError && !e.where ? `${formatWhere({ ...t.where, host: this.host })}: ${e.message}` : undefined
    const msg = located ?? (e instanceof KubeseedError ? e.message : e instanceof Error ? `${e.message}` : String(e))
    if (e instanceof KubeseedError && !(e instanceof StepError)) this.s.inputError = true
    this.d.told.fail(this.host, t.name, t.id, msg)
    if (!(e instanceof KubeseedError)) this.d.told.tell({ type: 'warning', message: `internal error on ${this.host}: ${(e as Error)?.stack ?? e}` }, -1)
  }

  private itemLabel(t: TaskDef, scope: Scope, value: unknown): string {
    if (t.loopLabel !== undefined) return String(scope.render(t.loopLabel, t.where))
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  private planContext(t: TaskDef, scope: Scope, where: Where): PlanContext {
    const baseDirs = [t.role ? `${t.role.dir}/files` : '', t.where.file ? t.where.file.replace(/\/[^/]*$/, '') : ''].filter(Boolean)
    return {
      host: this.host,
      where,
      facts: this.s.factsPending ? this.d.pendingFacts.facts(this.host, () => (this.s.factsGathered ? this.s.facts : undefined)) : this.s.facts,
      check: t.checkMode ?? this.d.o.check,
      diff: this.d.o.diff && !t.noLog,
      vars: (n) => scope.get(n),
      hasVar: (n) => scope.has(n),
      evaluate: (expr) => scope.evaluate(expr, where),
      render: (template) => scope.render(template, where),
      renderTemplate: (name, extra) => {
        const src = this.d.o.readTemplate(name, t.role?.dir, this.d.playbookDir)
        const sc = extra ? scope.child({ source: 'template vars', vars: extra }) : scope
        return this.d.o.renderTemplate(src, name, sc, this.host)
      },
      readLocalFile: (path) => this.d.o.readLocalFile(path, baseDirs),
      statLocal: (path) => this.d.o.statLocal(path, baseDirs),
    }
  }

  /**
   * Registers, tells and counts one result; notifies handlers; fails the host on an unignored failure. A loop
   * item's failure fails the host only once the loop's last item is in (endLoop), as in Ansible.
   */
  private finish(t: TaskDef, scope: Scope, res: TaskResult, label: string | undefined, delegatedTo?: string): void {
    if (res.status === 'failed' && t.ignoreErrors) res.ignored = true
    const loop = this.loops.get(t.id)
    if (loop) loop.results.push({ ...res.data, item: label, [t.loopVar]: scope.get(t.loopVar), ansible_loop_var: t.loopVar })
    else if (t.register) this.s.registered[t.register] = res.data
    this.d.told.record(this.host, t, res, label, delegatedTo, !loop)
    if (res.status === 'changed') for (const n of t.notify) this.s.notified.add(String(scope.render(n, t.where)))
    // The recap's failure line says why, except for a no_log task: nothing of its output leaves it.
    const why = t.noLog ? HIDDEN : res.msg ?? 'failed'
    if (res.status === 'failed' && !res.ignored) {
      if (loop) loop.failures.push(t.noLog ? why : `item ${label}: ${why}`)
      else this.d.told.fail(this.host, t.name, t.id, why, true)
    }
    if (loop && loop.results.length === loop.size) this.endLoop(t)
  }

  /**
   * A looped task once its items are in: counted once per host in the recap and registered as Ansible does
   * (`results` holds every item); the host fails when an item failed and errors are not ignored.
   */
  private endLoop(t: TaskDef, complete = true): void {
    const loop = this.loops.get(t.id)
    this.loops.delete(t.id)
    if (!loop?.results.length) return
    const { results, failures } = loop
    const changed = results.some((r) => r.changed)
    const skipped = results.every((r) => r.skipped)
    const failed = results.some((r) => r.failed)
    countResult(this.s.recap, failed ? 'failed' : changed ? 'changed' : skipped ? 'skipped' : 'ok', failed && t.ignoreErrors)
    const msg = failed ? 'One or more items failed' : skipped ? 'All items skipped' : 'All items completed'
    if (t.register) this.s.registered[t.register] = { results, changed, failed, skipped, msg }
    if (!failures.length || !complete) return
    const others = failures.length > 1 ? ` (${failures.length - 1} more of ${results.length} items failed too)` : ''
    this.d.told.fail(this.host, t.name, t.id, `${failures[0]}${others}`, true)
  }

  /** Loops whose last item never came back (the run was interrupted) still count and register what ran. */
  private flushLoops(): void {
    for (const t of this.seg) if (this.loops.has(t.id)) this.endLoop(t, false)
  }
}

function becomePassword(scope: Scope): string | undefined {
  for (const n of ['ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass']) {
    if (scope.has(n)) return String(scope.get(n))
  }
  return undefined
}

/** `until`, judged with the result registered under the task's `register` name. */
function untilHolds(t: TaskDef, scope: Scope, res: TaskResult): boolean {
  const sc = t.register ? scope.child({ source: 'until', vars: { [t.register]: res.data }, literal: true }) : scope
  return sc.truthy(t.until!, t.where)
}

/** The task type's controller-side completion (fetch writing the file here), which may decide about change. */
async function finishRemote(x: Pending, out: StepOutput, res: TaskResult): Promise<TaskResult> {
  if (!x.type.finish || res.status === 'failed') return res
  const extra = await x.type.finish(x.p, out, x.pctx)
  Object.assign(res.data, extra)
  if (typeof extra.changed === 'boolean' && res.status !== 'skipped') res = { ...res, status: extra.changed ? 'changed' : 'ok' }
  if (extra.failed === true) res = { ...res, status: 'failed', msg: String(extra.msg ?? 'failed') }
  return res
}
