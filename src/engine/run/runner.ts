// Runs playbooks: plays over host batches, tasks grouped into segments that go to each host as one
// script, handlers at the end of each play, and a recap. Strategy `linear` waits for every host at each
// segment boundary; `free` lets each host run ahead.

import pLimit from 'p-limit'
import { ConnectError, KubeseedError, PlaybookError, StepError, type Where } from '../errors.js'
import { FACTS_SCRIPT } from '../facts/script.js'
import { factVars, parseFacts } from '../facts/parse.js'
import type { Inventory } from '../inventory/model.js'
import type { ScopeLayer } from '../vars/layer.js'
import type { BlockDef, Item, PlayDef, Playbook, TaskDef } from '../playbook/model.js'
import type { EventSink, HostRecap, RunEvent } from '../report/events.js'
import { buildBatch, parseBatch } from '../step/batch.js'
import type { Step, StepOutput } from '../step/types.js'
import type { Facts, LocalEntry, LocalResult, PlanContext, TaskType } from '../task.js'
import type { Become, Connection } from '../transport/types.js'
import type { Scope, ScopeFactory } from '../vars/scope.js'
import { segmentTasks, type Segment, type SegmentRules } from './segments.js'
import { applyConditions, fromLocal, resultOf, type TaskResult } from './results.js'
import { filterTags } from './tags.js'
import { hostvarsProxy } from './hostvars.js'
import { serialBatches } from './serial.js'

/** What the user chose for a run (the command-line flags that mean the same as Ansible's). */
export interface RunSettings {
  extraVars: Record<string, unknown>
  limit?: string
  tags: string[]
  skipTags: string[]
  check: boolean
  diff: boolean
  forks: number
  sink: EventSink
}

export interface RunOptions extends RunSettings {
  inventory: Inventory
  /** Hosts matching a pattern, in Ansible's order; throws InventoryError for unknown names. */
  selectHosts(pattern: string): string[]
  taskType(name: string): TaskType | undefined
  parseParams(type: TaskType, raw: unknown, where: Where): Record<string, unknown>
  makeScope: ScopeFactory
  renderTemplate(source: string, name: string, scope: Scope, host: string): string
  /** Finds a template by name (role templates dir first, then the top-level templates/). */
  readTemplate(name: string, roleDir: string | undefined, playbookDir: string): string
  readLocalFile(path: string, baseDirs: string[]): Buffer
  statLocal(path: string, baseDirs: string[]): LocalEntry
  reads: SegmentRules['reads']
  connect(host: string, vars: (name: string) => unknown): Promise<Connection>
  /** Facts of hosts outside --limit that templates may read: load/save here. */
  factsCache?: { load(host: string): Facts | undefined; save(host: string, facts: Facts): void }
  inventoryFile?: string
  /** More computed variables per host (e.g. the offline manifest entry); `scope` is the host's play scope. */
  extraMagic?(host: string, scope: () => Scope): Record<string, () => unknown>
}

interface HostState {
  name: string
  facts: Facts
  factsGathered: boolean
  registered: Record<string, unknown>
  failed: boolean
  unreachable: boolean
  ended: boolean
  failure?: string
  notified: Set<string>
  recap: HostRecap
  conn?: Connection
  playScope?: Scope
}

const HIDDEN = 'the output has been hidden due to no_log: true'

function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: false, rescued: 0, ignored: 0, roundTrips: 0 }
}

export class Runner {
  private readonly states = new Map<string, HostState>()
  private readonly limitHosts?: Set<string>
  private readonly limiter: ReturnType<typeof pLimit>
  private started = Date.now()
  private playbookDir = process.cwd()
  private buffer?: Map<number, RunEvent[]>
  /** Hosts some play ran on: the recap speaks of these (others may have a state only for hostvars). */
  private readonly played = new Set<string>()

  constructor(private readonly o: RunOptions) {
    this.limitHosts = o.limit ? new Set(o.selectHosts(o.limit)) : undefined
    this.limiter = pLimit(Math.max(1, o.forks))
  }

  private state(host: string): HostState {
    let s = this.states.get(host)
    if (!s) {
      s = {
        name: host, facts: {}, factsGathered: false, registered: {}, failed: false, unreachable: false, ended: false,
        notified: new Set(), recap: emptyRecap(),
      }
      this.states.set(host, s)
    }
    return s
  }

  hostNames(): string[] {
    return [...this.played]
  }

  factsOf(host: string): Facts | undefined {
    const s = this.states.get(host)
    return s?.factsGathered ? s.facts : undefined
  }

  anyUnreachable(): boolean {
    return [...this.states.values()].some((s) => s.unreachable && this.played.has(s.name))
  }

  async run(playbook: Playbook): Promise<boolean> {
    this.started = Date.now()
    this.playbookDir = playbook.file.replace(/\/[^/]*$/, '')
    let aborted = false
    try {
      for (const play of playbook.plays) {
        if (aborted) break
        aborted = !(await this.runPlay(play, playbook.file))
      }
    } finally {
      await Promise.all([...this.states.values()].map((s) => s.conn?.close().catch(() => {})))
    }
    const hosts: Record<string, HostRecap> = {}
    const failures: Record<string, string> = {}
    for (const s of this.states.values()) {
      if (!this.played.has(s.name)) continue
      s.recap.roundTrips = s.conn?.roundTrips ?? 0
      hosts[s.name] = s.recap
      if (s.failure) failures[s.name] = s.failure
    }
    const ok = !aborted && Object.values(hosts).every((h) => h.failed === 0 && !h.unreachable)
    this.o.sink.emit({ type: 'recap', ok, hosts, failures, seconds: (Date.now() - this.started) / 1000 })
    return ok
  }

  /** Returns false when the play was aborted (any_errors_fatal, max_fail_percentage, no hosts left). */
  private async runPlay(play: PlayDef, file: string): Promise<boolean> {
    let hosts = this.o.selectHosts(play.hosts)
    if (this.limitHosts) hosts = hosts.filter((h) => this.limitHosts!.has(h))
    this.o.sink.emit({ type: 'play', name: play.name, hosts, file })
    for (const h of hosts) this.played.add(h)
    if (hosts.length === 0) {
      this.o.sink.emit({ type: 'warning', message: `play "${play.name}": no hosts matched pattern '${play.hosts}'${this.o.limit ? ` with --limit ${this.o.limit}` : ''}` })
      return true
    }
    const items = filterTags(play.items, this.o.tags, this.o.skipTags)
    const playHosts = hosts
    // Scopes are per play (its vars and roles): hosts read through hostvars get theirs anew too.
    for (const s of this.states.values()) s.playScope = undefined
    for (const batch of serialBatches(hosts, play.serial)) {
      const active = batch.filter((h) => { const s = this.state(h); return !s.failed && !s.unreachable })
      for (const h of active) {
        const s = this.state(h)
        s.ended = false
        s.notified.clear()
        s.playScope = undefined
      }
      if (play.gatherFacts) await this.gatherFacts(active, play)
      const alive = () => active.filter((h) => { const s = this.state(h); return !s.failed && !s.unreachable && !s.ended })
      const ctx: PlayCtx = { play, playHosts, batch: active, alive, aborted: false }
      if (play.strategy === 'free') {
        await Promise.all(active.map((h) => this.runItems(items, [h], ctx)))
      } else {
        await this.runItems(items, active, ctx)
      }
      if (!ctx.aborted) await this.runHandlers(play, ctx)
      if (ctx.aborted) return false
      // Every host failed or unreachable: later plays have nobody to run on (ended hosts are fine).
      if (active.length > 0 && active.every((h) => { const s = this.state(h); return s.failed || s.unreachable })) return false
    }
    return true
  }

  // ---------- scopes ----------

  private groupsMap(): Record<string, string[]> {
    const out: Record<string, string[]> = {}
    for (const g of this.o.inventory.groups.keys()) out[g] = this.o.inventory.groupHosts(g)
    return out
  }

  /** The scope of a host for a play: role defaults < inventory < facts < play vars < role vars. */
  private playScope(host: string, ctx: PlayCtx): Scope {
    const s = this.state(host)
    if (s.playScope) return s.playScope
    const play = ctx.play
    if (!s.factsGathered && this.o.factsCache) {
      const cached = this.o.factsCache.load(host)
      if (cached) s.facts = cached
    }
    const layers: ScopeLayer[] = []
    for (const r of play.roles) layers.push({ source: r.defaultsFile ?? `role ${r.name} defaults`, vars: r.defaults, lines: r.defaultsLines })
    layers.push(...this.o.inventory.hostLayers(host))
    layers.push({ source: `facts of ${host}`, vars: factVars(s.facts), literal: true })
    layers.push({ source: play.where.file ?? 'play vars', vars: play.vars, lines: play.varsLines })
    for (const r of play.roles) layers.push({ source: r.varsFile ?? `role ${r.name} vars`, vars: r.vars, lines: r.varsLines })
    const inv = this.o.inventory
    const groups = inv.hosts.get(host)?.groups.filter((g) => g !== 'all' && g !== 'ungrouped') ?? []
    const hostvars = hostvarsProxy([...inv.hosts.keys()], (h) => this.playScope(h, ctx))
    let groupsCache: Record<string, string[]> | undefined
    const magic: Record<string, () => unknown> = {
      inventory_hostname: () => host,
      inventory_hostname_short: () => host.split('.')[0],
      group_names: () => groups,
      groups: () => (groupsCache ??= this.groupsMap()),
      hostvars: () => hostvars,
      play_hosts: () => ctx.alive(),
      ansible_play_hosts: () => ctx.alive(),
      ansible_play_hosts_all: () => ctx.playHosts,
      ansible_play_batch: () => ctx.alive(),
      ansible_check_mode: () => this.o.check,
      ansible_diff_mode: () => this.o.diff,
      playbook_dir: () => play.baseDir,
      inventory_dir: () => (this.o.inventoryFile ? this.o.inventoryFile.replace(/\/[^/]*$/, '') : play.baseDir),
      inventory_file: () => this.o.inventoryFile ?? '',
      ...(this.o.extraMagic?.(host, () => s.playScope!) ?? {}),
    }
    s.playScope = this.o.makeScope(layers, { host, magic })
    return s.playScope
  }

  private taskScope(host: string, t: TaskDef, ctx: PlayCtx, item?: { name: string; value: unknown; index: number }): Scope {
    const s = this.state(host)
    let scope = this.playScope(host, ctx)
    if (Object.keys(t.vars).length) scope = scope.child({ source: `${t.where.file ?? 'task'} vars`, vars: t.vars })
    if (t.role) scope = scope.child({ source: 'role path', vars: { role_path: t.role.dir, role_name: t.role.name } })
    if (Object.keys(s.registered).length) scope = scope.child({ source: 'registered and set_fact vars', vars: { ...s.registered }, literal: true })
    if (item) {
      scope = scope.child({
        source: 'loop item',
        vars: { [item.name]: item.value, ansible_loop: { index: item.index + 1, index0: item.index } },
        literal: true,
      })
    }
    if (Object.keys(this.o.extraVars).length) scope = scope.child({ source: 'extra vars (-e)', vars: this.o.extraVars })
    return scope
  }

  // ---------- facts ----------

  private async connection(host: string, ctx: PlayCtx): Promise<Connection> {
    const s = this.state(host)
    if (s.conn) return s.conn
    const scope = this.playScope(host, ctx)
    s.conn = await this.o.connect(host, (n) => (scope.has(n) ? scope.get(n) : undefined))
    return s.conn
  }

  private markUnreachable(host: string, err: unknown): void {
    const s = this.state(host)
    s.unreachable = true
    s.recap.unreachable = true
    s.failure = err instanceof Error ? err.message : String(err)
    this.tell({ type: 'result', task: 'connect', taskId: 0, host, status: 'unreachable', msg: s.failure }, -1)
  }

  private async gatherFacts(hosts: string[], play: PlayDef): Promise<void> {
    const ctx: PlayCtx = { play, playHosts: hosts, batch: hosts, alive: () => hosts, aborted: false }
    const todo = hosts.filter((h) => !this.state(h).factsGathered)
    if (!todo.length) return
    this.o.sink.emit({ type: 'task', name: 'Gathering Facts', task: 0, hosts: todo })
    await Promise.all(todo.map((h) => this.limiter(async () => {
      const s = this.state(h)
      try {
        const conn = await this.connection(h, ctx)
        const r = await conn.exec({ script: FACTS_SCRIPT })
        if (r.code !== 0) throw new StepError('gathering facts failed', { host: h, task: 'Gathering Facts' }, r.code ?? -1, r.stderr.toString())
        s.facts = parseFacts(r.stdout.toString())
        s.factsGathered = true
        s.playScope = undefined
        this.o.factsCache?.save(h, s.facts)
        s.recap.ok++
        this.o.sink.emit({ type: 'result', task: 'Gathering Facts', taskId: 0, host: h, status: 'ok' })
      } catch (e) {
        if (e instanceof ConnectError || !(e instanceof KubeseedError)) this.markUnreachable(h, e)
        else this.failHost(h, 'Gathering Facts', 0, e.message)
      }
    })))
  }

  // ---------- items, blocks, segments ----------

  private async runItems(items: Item[], hosts: string[], ctx: PlayCtx): Promise<void> {
    let run: TaskDef[] = []
    const flushRun = async () => {
      if (run.length) await this.runTasks(run, hosts, ctx)
      run = []
    }
    for (const item of items) {
      if (ctx.aborted) return
      if (item.kind === 'task') { run.push(item); continue }
      await flushRun()
      await this.runBlock(item, hosts, ctx)
    }
    await flushRun()
  }

  private async runBlock(b: BlockDef, hosts: string[], ctx: PlayCtx): Promise<void> {
    const before = new Set(hosts.filter((h) => this.state(h).failed))
    await this.runItems(b.block, hosts, ctx)
    const failedHere = hosts.filter((h) => this.state(h).failed && !before.has(h) && !this.state(h).unreachable)
    if (b.rescue.length && failedHere.length) {
      for (const h of failedHere) this.unfail(h)
      await this.runItems(b.rescue, failedHere, ctx)
      for (const h of failedHere) if (!this.state(h).failed) this.state(h).recap.rescued++
    }
    if (b.always.length) {
      const stillFailed = hosts.filter((h) => this.state(h).failed && !before.has(h) && !this.state(h).unreachable)
      for (const h of stillFailed) this.unfail(h)
      await this.runItems(b.always, hosts.filter((h) => !before.has(h)), ctx)
      for (const h of stillFailed) {
        const s = this.state(h)
        if (!s.failed) { s.failed = true; s.recap.failed++ }
      }
    }
  }

  private unfail(host: string): void {
    const s = this.state(host)
    if (s.failed) { s.failed = false; s.recap.failed-- ; s.failure = undefined }
  }

  private rules(play: PlayDef): SegmentRules {
    // any_errors_fatal and max_fail_percentage judge after every task, so their plays run task by task.
    const judgeEachTask = play.anyErrorsFatal || play.maxFailPercentage !== undefined
    return {
      isLocal: (m) => judgeEachTask || this.o.taskType(m)?.kind === 'local',
      reads: this.o.reads,
    }
  }

  private async runTasks(tasks: TaskDef[], hosts: string[], ctx: PlayCtx, handler = false): Promise<void> {
    for (const seg of segmentTasks(tasks, this.rules(ctx.play))) {
      if (ctx.aborted) return
      const live = hosts.filter((h) => { const s = this.state(h); return !s.failed && !s.unreachable && !s.ended })
      if (!live.length) return
      // Under linear, a segment's results are told task by task once every host is done with it, so output
      // reads as Ansible's does although each host ran the whole segment in one round trip.
      const grouped = ctx.play.strategy === 'linear'
      // Handlers flushed from inside a segment (meta: flush_handlers) group their own output, then hand back.
      const outer = this.buffer
      const buffered = grouped ? new Map(seg.map((t) => [t.id, [] as RunEvent[]])) : undefined
      this.buffer = buffered
      try {
        if (seg.length === 1 && seg[0].module === 'meta') await this.runMeta(seg[0], live, ctx)
        else if (seg[0].runOnce) await this.runOnce(seg[0], live, ctx)
        else await Promise.all(live.map((h) => this.limiter(() => this.runSegment(seg, h, ctx))))
      } finally {
        this.buffer = outer
        if (buffered) {
          const rank = new Map(live.map((h, i) => [h, i]))
          const byHost = (list: RunEvent[]) => list
            .map((e, i) => ({ e, i, r: rank.get('host' in e ? e.host : '') ?? live.length }))
            .sort((a, b) => a.r - b.r || a.i - b.i).map((x) => x.e)
          for (const e of byHost(buffered.get(-1) ?? [])) this.o.sink.emit(e)
          for (const t of seg) {
            const events = byHost(buffered.get(t.id) ?? [])
            if (!handler) this.o.sink.emit({ type: 'task', name: t.name, task: t.id, file: t.where.file, line: t.where.line, hosts: live })
            for (const e of events) this.o.sink.emit(e)
          }
        }
      }
      this.checkFailLimits(ctx)
    }
  }

  /** Sends an event now, or holds it until its task's turn in the grouped output. */
  private tell(e: RunEvent, taskId: number): void {
    const b = this.buffer
    if (b) {
      const list = b.get(b.has(taskId) ? taskId : -1) ?? []
      if (!b.has(taskId) && !b.has(-1)) b.set(-1, list)
      list.push(e)
      return
    }
    this.o.sink.emit(e)
  }

  private checkFailLimits(ctx: PlayCtx): void {
    const failed = ctx.batch.filter((h) => this.state(h).failed || this.state(h).unreachable).length
    if (failed === 0) return
    if (ctx.play.anyErrorsFatal) {
      ctx.aborted = true
      this.o.sink.emit({ type: 'warning', message: `play "${ctx.play.name}" stopped: any_errors_fatal is set and a host failed` })
      return
    }
    const mfp = ctx.play.maxFailPercentage
    if (mfp !== undefined && (failed / ctx.batch.length) * 100 > mfp) {
      ctx.aborted = true
      this.o.sink.emit({ type: 'warning', message: `play "${ctx.play.name}" stopped: ${failed} of ${ctx.batch.length} hosts failed, more than max_fail_percentage ${mfp}%` })
    }
  }

  private async runMeta(t: TaskDef, hosts: string[], ctx: PlayCtx): Promise<void> {
    const action = typeof t.args === 'string' ? t.args.trim() : ''
    for (const h of hosts) {
      const scope = this.taskScope(h, t, ctx)
      if (!t.when.every((c) => scope.truthy(c, t.where))) { this.record(h, t, { status: 'skipped', data: {} }); continue }
      if (action === 'end_host') this.state(h).ended = true
    }
    if (action === 'flush_handlers') await this.runHandlers(ctx.play, ctx)
    else if (action === 'end_play') { for (const h of hosts) this.state(h).ended = true }
    else if (!['noop', 'end_host', 'clear_facts', 'refresh_inventory'].includes(action)) {
      throw new PlaybookError(`meta: unknown action '${action}'`, t.where, 'use flush_handlers, end_play, end_host or noop')
    }
  }

  private async runOnce(t: TaskDef, hosts: string[], ctx: PlayCtx): Promise<void> {
    const first = hosts[0]
    await this.limiter(() => this.runSegment([t], first, ctx))
    if (t.register) {
      const value = this.state(first).registered[t.register]
      for (const h of hosts.slice(1)) this.state(h).registered[t.register] = value
    }
  }

  // ---------- one host, one segment ----------

  private async runSegment(seg: Segment, host: string, ctx: PlayCtx): Promise<void> {
    const pending: PendingStep[] = []
    const loopResults = new Map<number, Record<string, unknown>[]>()
    // Results are told in task order once the batch has run: a skip planned after a step that then failed
    // never happened. Before any pending step, there is nothing to wait for.
    const order: Array<number | (() => void)> = []
    const defer = (fn: () => void) => { if (pending.length) order.push(fn); else fn() }
    const s = this.state(host)
    // A task that failed while being prepared, errors not ignored: nothing after it is planned.
    let stop = false
    try {
      for (const t of seg) {
        if (s.failed || s.ended || stop) break
        const base = this.taskScope(host, t, ctx)
        // An error while preparing a task (its loop, condition or arguments fail to template, a parameter the
        // task cannot take) is that task's own failure, told in its turn after the tasks before it have run;
        // ignore_errors covers it, as in Ansible.
        const planFailed = (e: unknown, scope: Scope, label?: string) => {
          if (!(e instanceof KubeseedError) || e instanceof ConnectError) throw e
          const msg = e.message
          defer(() => this.finishTask(host, t, scope, { status: 'failed', data: { failed: true, changed: false, msg }, msg }, label, loopResults))
          if (!t.ignoreErrors) stop = true
        }
        let items: Array<{ value: unknown; index: number } | undefined> = [undefined]
        try {
          if (t.loop !== undefined) {
            const list = base.render(t.loop, t.where)
            if (!Array.isArray(list)) {
              throw new PlaybookError(`loop must give a list, got ${typeof list}`, { ...t.where, host }, 'use a list or a filter such as dict2items')
            }
            items = list.map((value, index) => ({ value, index }))
            loopResults.set(t.id, [])
            if (!items.length) { this.record(host, t, { status: 'skipped', data: { results: [], msg: 'no items' } }); if (t.register) s.registered[t.register] = { results: [], skipped: true, changed: false } }
          }
        } catch (e) {
          planFailed(e, base)
          continue
        }
        const type = this.o.taskType(t.module)
        if (!type) throw new PlaybookError(`unknown module '${t.module}'`, t.where)
        for (const it of items) {
          let scope = base
          let label: string | undefined
          try {
            scope = it ? this.taskScope(host, t, ctx, { name: t.loopVar, value: it.value, index: it.index }) : base
            label = it ? this.itemLabel(t, scope, it.value) : undefined
            if (await this.planItem(host, t, type, scope, label, ctx, pending, order, defer, loopResults) === 'stop') break
          } catch (e) {
            planFailed(e, scope, label)
          }
        }
      }
      if (!pending.length) { this.flushLoops(host, seg, loopResults); return }
      const first = pending[0].t
      const execHost = first.delegateTo ? String(pending[0].scope.render(first.delegateTo, first.where)) : host
      const become: Become | null = first.become
        ? { method: 'sudo', user: first.becomeUser ?? 'root', password: this.becomePassword(pending[0].scope) }
        : null
      const attempts = first.until !== undefined ? (first.retries ?? 3) + 1 : 1
      let outs: StepOutput[] = []
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const conn = await this.connection(execHost, ctx)
        const batch = buildBatch(pending.map((x) => x.step), { check: this.o.check, diff: this.o.diff })
        const t0 = Date.now()
        const r = await conn.exec({ script: batch.script, become })
        this.tell({ type: 'batch', host: execHost, steps: pending.length, roundTrip: conn.roundTrips, ms: Date.now() - t0 }, -1)
        outs = parseBatch(r.stdout.toString(), r.stderr.toString(), batch)
        if (r.code !== 0 && outs.every((o) => o.rc === null)) {
          const err = r.stderr.toString()
          const sudoProblem = become && /sudo|password/i.test(err)
          throw new StepError(sudoProblem ? 'privilege escalation failed' : 'the script could not run', { host: execHost, task: first.name }, r.code ?? -1, err)
        }
        if (attempt < attempts) {
          const res = resultOf(outs[0])
          const sc = first.register ? pending[0].scope.child({ source: 'until', vars: { [first.register]: res.data }, literal: true }) : pending[0].scope
          if (sc.truthy(first.until!, first.where)) break
          await new Promise((r2) => setTimeout(r2, first.delay * 1000))
        }
      }
      for (const o of order) {
        if (s.failed) break
        if (typeof o === 'function') { o(); continue }
        const x = pending[o]
        const out = outs[o]
        if (out.rc === null) break
        let res = resultOf(out)
        if (x.type.kind === 'remote' && x.type.finish && res.status !== 'failed') {
          const extra = await x.type.finish(x.p, out, x.pctx)
          Object.assign(res.data, extra)
          // A controller-side completion (fetch writing the file here) decides about change itself.
          if (typeof extra.changed === 'boolean' && res.status !== 'skipped') res = { ...res, status: extra.changed ? 'changed' : 'ok' }
          if (extra.failed === true) res = { ...res, status: 'failed', msg: String(extra.msg ?? 'failed') }
        }
        if (x.t.until !== undefined) {
          const sc = x.t.register ? x.scope.child({ source: 'until', vars: { [x.t.register]: res.data }, literal: true }) : x.scope
          if (!sc.truthy(x.t.until, x.t.where)) res = { ...res, status: 'failed', msg: `still not true after ${attempts} attempts: ${x.t.until}` }
        }
        res = applyConditions(x.t, x.scope, res)
        if (x.p.url && typeof x.p.url === 'string') res.data.url = x.p.url
        this.finishTask(host, x.t, x.scope, res, x.itemLabel, loopResults, execHost !== host ? execHost : undefined)
        if (s.failed) break
      }
      this.flushLoops(host, seg, loopResults)
    } catch (e) {
      if (e instanceof ConnectError) { this.markUnreachable(host, e); return }
      const msg = e instanceof KubeseedError ? e.message : e instanceof Error ? `${e.message}` : String(e)
      const t = pending[0]?.t ?? seg[0]
      this.failHost(host, t.name, t.id, msg)
      if (!(e instanceof KubeseedError)) this.o.sink.emit({ type: 'warning', message: `internal error on ${host}: ${(e as Error)?.stack ?? e}` })
    }
  }

  /** Plans one task (or loop item) for a host: a step added to the pending batch, or a result told now or in turn. */
  private async planItem(host: string, t: TaskDef, type: TaskType, scope: Scope, label: string | undefined, ctx: PlayCtx,
    pending: PendingStep[], order: Array<number | (() => void)>, defer: (fn: () => void) => void,
    loopResults: Map<number, Record<string, unknown>[]>): Promise<'stop' | void> {
    const where = { ...t.where, host }
    if (!t.when.every((c) => scope.truthy(c, where))) {
      defer(() => this.finishTask(host, t, scope, { status: 'skipped', data: { skipped: true, changed: false } }, label, loopResults))
      return
    }
    const rendered = scope.render(t.args, where)
    const p = this.o.parseParams(type, rendered, where)
    const pctx = this.planContext(host, t, scope, where)
    const effectiveCheck = t.checkMode ?? this.o.check
    if (type.kind === 'local') {
      if (effectiveCheck && type.supportsCheck === false) {
        this.finishTask(host, t, scope, { status: 'skipped', data: { skipped: true }, msg: 'skipped in check mode' }, label, loopResults)
        return
      }
      const r = await type.run(p, pctx)
      this.applyLocal(host, r)
      this.finishTask(host, t, scope, fromLocal(r), label, loopResults)
      if (this.state(host).failed) return 'stop'
      return
    }
    if (effectiveCheck && type.supportsCheck === false) {
      defer(() => this.finishTask(host, t, scope, { status: 'skipped', data: { skipped: true }, msg: 'skipped in check mode' }, label, loopResults))
      return
    }
    const step = type.plan(p, pctx)
    const env: Record<string, string> = { ...(step.env ?? {}) }
    for (const e of t.environment) {
      const envVals = scope.render(e, where)
      if (envVals && typeof envVals === 'object') for (const [k, v] of Object.entries(envVals)) env[k] = String(v)
    }
    if (t.checkMode !== undefined) env.KS_CHECK = t.checkMode ? '1' : '0'
    pending.push({
      t, p, type, scope, pctx, itemLabel: label,
      step: { ...step, env, ignoreErrors: t.ignoreErrors || (t.failedWhen !== undefined) || step.ignoreErrors },
    })
    order.push(pending.length - 1)
  }

  private becomePassword(scope: Scope): string | undefined {
    for (const n of ['ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass']) {
      if (scope.has(n)) return String(scope.get(n))
    }
    return undefined
  }

  private itemLabel(t: TaskDef, scope: Scope, value: unknown): string {
    if (t.loopLabel !== undefined) return String(scope.render(t.loopLabel, t.where))
    return typeof value === 'string' ? value : JSON.stringify(value)
  }

  private planContext(host: string, t: TaskDef, scope: Scope, where: Where): PlanContext {
    const s = this.state(host)
    const baseDirs = [t.role ? `${t.role.dir}/files` : '', t.where.file ? t.where.file.replace(/\/[^/]*$/, '') : ''].filter(Boolean)
    return {
      host,
      where,
      facts: s.facts,
      check: t.checkMode ?? this.o.check,
      diff: this.o.diff && !t.noLog,
      vars: (n) => scope.get(n),
      hasVar: (n) => scope.has(n),
      evaluate: (expr) => scope.evaluate(expr, where),
      renderTemplate: (name, extra) => {
        const src = this.o.readTemplate(name, t.role?.dir, this.playbookDir)
        const sc = extra ? scope.child({ source: 'template vars', vars: extra }) : scope
        return this.o.renderTemplate(src, name, sc, host)
      },
      readLocalFile: (path) => this.o.readLocalFile(path, baseDirs),
      statLocal: (path) => this.o.statLocal(path, baseDirs),
    }
  }

  private applyLocal(host: string, r: LocalResult): void {
    if (r.facts) Object.assign(this.state(host).registered, r.facts)
  }

  private finishTask(host: string, t: TaskDef, scope: Scope, res: TaskResult, label: string | undefined,
    loopResults: Map<number, Record<string, unknown>[]>, delegatedTo?: string): void {
    const s = this.state(host)
    if (res.status === 'failed' && t.ignoreErrors) res.ignored = true
    const looped = loopResults.has(t.id)
    if (looped) loopResults.get(t.id)!.push({ ...res.data, item: label, [t.loopVar]: scope.get(t.loopVar) })
    else if (t.register) s.registered[t.register] = res.data
    this.record(host, t, res, label, delegatedTo, !looped)
    if (res.status === 'changed') for (const n of t.notify) s.notified.add(String(scope.render(n, t.where)))
    if (res.status === 'failed' && !res.ignored) this.failHost(host, t.name, t.id, res.msg ?? 'failed', true)
  }

  /** A looped task counts once per host in the recap, as in Ansible; its items were told one by one. */
  private flushLoops(host: string, seg: Segment, loopResults: Map<number, Record<string, unknown>[]>): void {
    const s = this.state(host)
    for (const t of seg) {
      const results = loopResults.get(t.id)
      if (!results?.length) continue
      const failed = results.some((r) => r.failed)
      const changed = results.some((r) => r.changed)
      const skipped = results.every((r) => r.skipped)
      this.count(host, failed ? 'failed' : changed ? 'changed' : skipped ? 'skipped' : 'ok', failed && t.ignoreErrors)
      if (!t.register) continue
      s.registered[t.register] = { results, changed, failed, skipped, msg: 'All items completed' }
    }
  }

  private count(host: string, status: TaskResult['status'], ignored?: boolean): void {
    const r = this.state(host).recap
    if (status === 'failed') { if (ignored) { r.ignored++; r.ok++ } }
    else if (status === 'changed') { r.changed++; r.ok++ }
    else if (status === 'skipped') r.skipped++
    else if (status === 'ok') r.ok++
  }

  private record(host: string, t: TaskDef, res: TaskResult, item?: string, delegatedTo?: string, counted = true): void {
    if (counted) this.count(host, res.status, res.ignored)
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
      delegatedTo,
      urls: typeof res.data.url === 'string' ? [res.data.url] : undefined,
    }, t.id)
  }

  private failHost(host: string, task: string, taskId: number, msg: string, recorded = false): void {
    const s = this.state(host)
    if (!recorded) this.tell({ type: 'result', task, taskId, host, status: 'failed', msg }, taskId)
    if (!s.failed) s.recap.failed++
    s.failed = true
    s.failure = `task "${task}": ${msg}`
  }

  // ---------- handlers ----------

  private async runHandlers(play: PlayDef, ctx: PlayCtx): Promise<void> {
    const handlers = play.handlers
    for (;;) {
      const notifiedHosts = ctx.batch.filter((h) => this.state(h).notified.size > 0 && !this.state(h).failed && !this.state(h).unreachable)
      if (!notifiedHosts.length) return
      const todo = new Map<string, Set<string>>()
      for (const h of notifiedHosts) {
        todo.set(h, new Set(this.state(h).notified))
        this.state(h).notified.clear()
      }
      for (const [h, names] of todo) {
        for (const n of names) {
          if (!handlers.some((x) => x.name === n || x.listen?.includes(n))) {
            throw new PlaybookError(`a task notified '${n}' but no handler has that name or listens to it`, { host: h, file: play.where.file })
          }
        }
      }
      for (const hd of handlers) {
        const hosts = [...todo].filter(([, names]) => names.has(hd.name) || (hd.listen ?? []).some((l) => names.has(l))).map(([h]) => h)
        const live = hosts.filter((h) => !this.state(h).failed && !this.state(h).unreachable)
        if (!live.length) continue
        this.o.sink.emit({ type: 'handler', name: hd.name, hosts: live })
        await this.runTasks([hd], live, ctx, true)
      }
    }
  }
}

interface PendingStep {
  t: TaskDef
  p: Record<string, unknown>
  type: TaskType
  scope: Scope
  pctx: PlanContext
  itemLabel?: string
  step: Step
}

interface PlayCtx {
  play: PlayDef
  playHosts: string[]
  batch: string[]
  alive: () => string[]
  aborted: boolean
}

