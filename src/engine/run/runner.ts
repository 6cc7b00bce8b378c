// Runs playbooks: plays over serial batches of hosts, blocks, handlers at the end of each play, meta
// actions, the linear and free strategies, and the recap. What one host does with one segment of tasks
// is host-segment.ts; per-host state and recap counts are host-state.ts; variables are host-scope.ts.

import pLimit from 'p-limit'
import { ConnectError, KubeseedError, PlaybookError, StepError, type Where } from '../errors.js'
import { FACTS_SCRIPT } from '../facts/script.js'
import { parseFacts } from '../facts/parse.js'
import type { FactsCache } from '../facts/cache.js'
import type { Inventory } from '../inventory/model.js'
import type { MetaAction } from '../meta-actions.js'
import { rolesOfPlay, type BlockDef, type Item, type PlayDef, type Playbook, type TaskDef } from '../playbook/model.js'
import type { EventSink, HostRecap, RunEvent } from '../report/events.js'
import type { Facts, LocalEntry, TaskType } from '../task.js'
import type { Connection } from '../transport/types.js'
import type { Scope, ScopeFactory } from '../vars/scope.js'
import { HostScopes, type HostMagic } from './host-scope.js'
import { HostSegment } from './host-segment.js'
import { HostStates } from './host-state.js'
import { PendingFacts } from './pending-facts.js'
import { PlanningTurns } from './planning-turns.js'
import type { PlayCtx } from './play-context.js'
import { segmentTasks, type Segment, type SegmentRules } from './segments.js'
import { filterTags } from './tags.js'
import { serialBatches } from './serial.js'
import { heldHosts } from './held-hosts.js'
import { ToldResults } from './told-results.js'

export type { HostMagic }

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
  /** Aborted on SIGINT: no task starts after it, and the scripts running on the hosts are stopped. */
  signal?: AbortSignal
}

export interface RunOptions extends RunSettings {
  inventory: Inventory
  /**
   * Hosts matching a pattern, in Ansible's order. A name the inventory lacks is an InventoryError, or,
   * given `unmatched`, reported there and ignored (as Ansible does for a play's hosts).
   */
  selectHosts(pattern: string, unmatched?: (part: string) => void): string[]
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
  factsCache?: FactsCache
  inventoryFile?: string
  inventoryDir?: string
  /** More computed variables per host (e.g. the offline manifest entry). */
  extraMagic?: HostMagic
}

/** A connection still being opened does not hold up an interruption (the session closes it when it comes). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal | undefined, host: string): Promise<T> {
  if (!signal) return p
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(new ConnectError('interrupted while connecting', { host }, false))
    if (signal.aborted) { stop(); return }
    signal.addEventListener('abort', stop, { once: true })
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop))
  })
}

/** Tasks that only record state on the controller: they still run after an interruption (held-hosts.ts). */
const RECORDING_MODULES = new Set(['set_fact', 'ansible.builtin.set_fact'])

export type RunRecap = Omit<Extract<RunEvent, { type: 'recap' }>, 'type'>

export class Runner {
  private readonly states = new HostStates()
  private readonly scopes: HostScopes
  private readonly told: ToldResults
  private readonly limitHosts?: Set<string>
  private readonly limiter: ReturnType<typeof pLimit>
  private readonly pendingFacts = new PendingFacts()
  private playbookDir = process.cwd()
  /** Hosts some play ran on: the recap speaks of these (others may have a state only for hostvars). */
  private readonly played = new Set<string>()
  /** Connections begun ahead of their first use in the batch (connectAhead), taken by that use. */
  private readonly early = new Map<string, Promise<Connection>>()
  private readonly turns = new PlanningTurns()

  constructor(private readonly o: RunOptions) {
    this.limitHosts = o.limit ? new Set(o.selectHosts(o.limit)) : undefined
    this.limiter = pLimit(Math.max(1, o.forks))
    this.scopes = new HostScopes(o, this.states, this.pendingFacts)
    this.told = new ToldResults(o.sink, this.states)
  }

  factsOf(host: string): Facts | undefined {
    return this.states.factsOf(host)
  }

  async run(playbook: Playbook): Promise<RunRecap> {
    const started = Date.now()
    this.playbookDir = playbook.file.replace(/\/[^/]*$/, '')
    let aborted = false
    try {
      for (const play of playbook.plays) {
        if (aborted || this.o.signal?.aborted) break
        aborted = !(await this.runPlay(play, playbook.file))
      }
    } finally {
      await Promise.all(this.states.all().map((s) => s.conn?.close().catch(() => {})))
    }
    const hosts: Record<string, HostRecap> = {}
    const failures: Record<string, string> = {}
    for (const s of this.states.all()) {
      if (!this.played.has(s.name)) continue
      s.recap.roundTrips = s.conn?.roundTrips ?? 0
      s.recap.hostWaitMs = Math.round(s.conn?.waitedMs ?? 0)
      s.recap.controllerMs = Math.round(s.recap.controllerMs)
      hosts[s.name] = s.recap
      if (s.failure) failures[s.name] = s.failure
    }
    const ok = !aborted && !this.o.signal?.aborted && Object.values(hosts).every((h) => h.failed === 0 && !h.unreachable)
    const readyAt = this.states.all().map((s) => s.conn?.readyAtMs).filter((t): t is number => t !== undefined)
    const cpu = process.cpuUsage()
    const timing = { firstHandshakeMs: readyAt.length ? Math.round(Math.min(...readyAt)) : undefined, controllerCpuMs: Math.round((cpu.user + cpu.system) / 1000) }
    const touched = [...Object.keys(hosts).filter((h) => this.told.touched.has(h)),
      ...[...this.told.touched].filter((h) => !(h in hosts)).sort()]
    const recap: RunRecap = {
      ok, hosts, failures, held: heldHosts(this.states.all().filter((s) => this.played.has(s.name))),
      seconds: (Date.now() - started) / 1000, timing, touched, inventoryHosts: this.o.inventory.hosts.size,
    }
    if (this.o.signal?.aborted) recap.interrupted = true
    this.o.sink.emit({ type: 'recap', ...recap })
    return recap
  }

  /** Hosts that were running a task when the run was interrupted, with that task. */
  interruptedHosts(): Array<{ host: string; task: string }> {
    return this.states.all().filter((s) => s.interruptedIn !== undefined).map((s) => ({ host: s.name, task: s.interruptedIn! }))
  }

  /** Some host failed on a mistake in the input rather than on the host: the run's answer is "bad input". */
  anyInputError(): boolean {
    return this.states.all().some((s) => s.inputError && this.played.has(s.name))
  }

  /** Returns false when the play was aborted (any_errors_fatal, max_fail_percentage, no hosts left). */
  private async runPlay(play: PlayDef, file: string): Promise<boolean> {
    let hosts = this.o.selectHosts(play.hosts, (part) =>
      this.o.sink.emit({ type: 'warning', message: `Could not match supplied host pattern, ignoring: ${part}` }))
    if (this.limitHosts) hosts = hosts.filter((h) => this.limitHosts!.has(h))
    this.o.sink.emit({ type: 'play', name: play.name, hosts, file })
    for (const h of hosts) this.played.add(h)
    if (hosts.length === 0) {
      this.o.sink.emit({ type: 'warning', message: `play "${play.name}": no hosts matched pattern '${play.hosts}'${this.o.limit ? ` with --limit ${this.o.limit}` : ''}` })
      return true
    }
    const items = filterTags(play.items, this.o.tags, this.o.skipTags)
    // Scopes are per play (its vars and roles): hosts read through hostvars get theirs anew too.
    for (const s of this.states.all()) { s.playScope = undefined; s.hostScope = undefined }
    const playEnd = { ended: false }
    for (const batch of serialBatches(hosts, play.serial)) {
      if (playEnd.ended) break
      const active = batch.filter((h) => !this.states.down(h))
      for (const h of active) {
        const s = this.states.get(h)
        s.ended = false
        s.notified.clear()
        s.playScope = undefined
        s.hostScope = undefined
      }
      const ctx: PlayCtx = { play, playHosts: hosts, batch: active, alive: () => active.filter((h) => this.states.live(h)), aborted: false, playEnd }
      if (!(await this.runBatch(items, ctx))) return false
    }
    return true
  }

  /** One serial batch through the play's tasks and handlers; false when the play cannot go on. */
  private async runBatch(items: Item[], ctx: PlayCtx): Promise<boolean> {
    const active = ctx.batch
    this.connectAhead(ctx)
    try {
      return await this.runBatchItems(items, ctx)
    } finally {
      for (const h of active) this.early.delete(h)
    }
  }

  private async runBatchItems(items: Item[], ctx: PlayCtx): Promise<boolean> {
    const active = ctx.batch
    if (ctx.play.gatherFacts) {
      // Under the linear strategy the first batch that can carry the facts does (see runTasks).
      if (ctx.play.strategy === 'linear') this.factsPending(active)
      else await this.gatherFacts(active, ctx)
    }
    if (ctx.play.strategy === 'free') await Promise.all(active.map((h) => this.runItems(items, [h], ctx)))
    else await this.runItems(items, active, ctx)
    if (!ctx.aborted && !this.o.signal?.aborted) await this.runHandlers(ctx)
    // Facts no batch carried (every task skipped, or none) are gathered still, as the play asked.
    await this.gatherFacts(active.filter((h) => this.states.get(h).factsPending && !this.states.get(h).unreachable), ctx)
    for (const h of active) this.states.get(h).factsPending = false
    if (ctx.aborted || this.o.signal?.aborted) return false
    // Every host failed or unreachable: later plays have nobody to run on (ended hosts are fine).
    return !(active.length > 0 && active.every((h) => this.states.down(h)))
  }

  private async connection(host: string, ctx: PlayCtx): Promise<Connection> {
    const s = this.states.get(host)
    if (s.conn) return s.conn
    const early = this.early.get(host)
    this.early.delete(host)
    s.conn = await (early ?? this.connect(host, ctx))
    return s.conn
  }

  private async connect(host: string, ctx: PlayCtx): Promise<Connection> {
    const scope = this.scopes.play(host, ctx)
    return await untilAborted(this.o.connect(host, (n) => (scope.has(n) ? scope.get(n) : undefined)), this.o.signal, host)
  }

  /**
   * Hosts whose facts the play gathers are reached whatever their tasks do (even when planning fails): the
   * first --forks of them start their handshakes now, which go on while the first tasks are planned. A failure
   * is told where the host first uses the connection, as without this. Other plays connect no earlier than
   * before: a mistake found while planning still touches no host.
   */
  private connectAhead(ctx: PlayCtx): void {
    if (!ctx.play.gatherFacts) return
    const hosts = ctx.batch.filter((h) => {
      const s = this.states.get(h)
      return !s.conn && !this.early.has(h) && !s.factsGathered
    })
    for (const h of hosts.slice(0, this.o.forks)) {
      const p = this.connect(h, ctx)
      p.catch(() => {})
      this.early.set(h, p)
    }
  }

  /** Facts of these hosts are to come with their first batch that can carry them. */
  private factsPending(hosts: string[]): void {
    const todo = hosts.filter((h) => !this.states.get(h).factsGathered)
    if (!todo.length) return
    this.o.sink.emit({ type: 'task', name: 'Gathering Facts', task: 0, hosts: todo })
    for (const h of todo) {
      const s = this.states.get(h)
      s.factsPending = true
      s.playScope = undefined
      s.hostScope = undefined
    }
  }

  /** Gathers facts in one exec per host (hosts whose facts are pending had their header told already). */
  private async gatherFacts(hosts: string[], batchCtx: PlayCtx): Promise<void> {
    const ctx: PlayCtx = { ...batchCtx, playHosts: hosts, alive: () => hosts, aborted: false }
    const todo = hosts.filter((h) => !this.states.get(h).factsGathered)
    if (!todo.length || this.o.signal?.aborted) return
    if (!todo.every((h) => this.states.get(h).factsPending)) this.o.sink.emit({ type: 'task', name: 'Gathering Facts', task: 0, hosts: todo })
    await Promise.all(todo.map((h) => this.limiter(async () => {
      try {
        const r = await (await this.connection(h, ctx)).exec({ script: FACTS_SCRIPT, signal: this.o.signal })
        if (this.o.signal?.aborted && r.code !== 0) { this.told.interrupted(h, 'Gathering Facts', 0); return }
        if (r.code !== 0) throw new StepError('gathering facts failed', { host: h, task: 'Gathering Facts' }, r.code ?? -1, r.stderr.toString())
        this.factsArrived(h, r.stdout.toString())
      } catch (e) {
        const s = this.states.get(h)
        s.factsPending = false
        s.playScope = undefined
        s.hostScope = undefined
        if (e instanceof ConnectError || !(e instanceof KubeseedError)) this.told.unreachable(h, e)
        else this.told.fail(h, 'Gathering Facts', 0, e.message)
      }
    })))
  }

  /** The output of the facts script of a host, from its own exec or from a batch that carried it. */
  private factsArrived(h: string, text: string): void {
    const s = this.states.get(h)
    s.facts = parseFacts(text)
    s.factsGathered = true
    s.factsPending = false
    s.playScope = undefined
    s.hostScope = undefined
    this.o.factsCache?.save(h, s.facts)
    s.recap.ok++
    this.told.tell({ type: 'result', task: 'Gathering Facts', taskId: 0, host: h, status: 'ok' }, -1)
  }

  /**
   * The segment's batch may carry pending facts: it goes to the host itself as one exec (not a controller task,
   * run_once, delegated or retried one) and without privilege escalation (facts are read as the login user).
   */
  private carriesFacts(seg: Segment): boolean {
    const first = seg[0]!
    if (this.o.taskType(first.module)?.kind !== 'remote') return false
    return !first.runOnce && !first.become && seg.every((t) => t.delegateTo === undefined && t.until === undefined)
  }

  // ---------- items and blocks ----------

  private async runItems(items: Item[], hosts: string[], ctx: PlayCtx): Promise<void> {
    let run: TaskDef[] = []
    const flushRun = async () => {
      if (run.length) await this.runTasks(run, hosts, ctx)
      run = []
    }
    // A block with neither rescue nor always is only its tasks (its conditions are theirs since loading): they
    // join the tasks around them, so a block costs no round trip of its own.
    const walk = async (list: Item[]): Promise<void> => {
      for (const item of list) {
        if (ctx.aborted) return
        if (item.kind === 'task') { run.push(item); continue }
        if (!item.rescue.length && !item.always.length) { await walk(item.block); continue }
        await flushRun()
        await this.runBlock(item, hosts, ctx)
      }
    }
    await walk(items)
    if (ctx.aborted) return
    await flushRun()
  }

  private async runBlock(b: BlockDef, hosts: string[], ctx: PlayCtx): Promise<void> {
    const failed = (h: string) => { const s = this.states.get(h); return s.failed && !s.unreachable }
    const before = new Set(hosts.filter((h) => this.states.get(h).failed))
    // As Ansible: a failure a rescue will handle does not trip any_errors_fatal or max_fail_percentage.
    if (b.rescue.length) ctx.rescuable = (ctx.rescuable ?? 0) + 1
    try {
      await this.runItems(b.block, hosts, ctx)
    } finally {
      if (b.rescue.length) ctx.rescuable = (ctx.rescuable ?? 1) - 1
    }
    const failedHere = hosts.filter((h) => failed(h) && !before.has(h))
    if (b.rescue.length && failedHere.length) {
      for (const h of failedHere) this.states.unfail(h)
      await this.runItems(b.rescue, failedHere, ctx)
      for (const h of failedHere) if (!this.states.get(h).failed) this.states.get(h).recap.rescued++
    }
    if (b.always.length) {
      const stillFailed = hosts.filter((h) => failed(h) && !before.has(h))
      for (const h of stillFailed) this.states.unfail(h)
      await this.runItems(b.always, hosts.filter((h) => !before.has(h)), ctx)
      for (const h of stillFailed) {
        const s = this.states.get(h)
        if (!s.failed) { s.failed = true; s.recap.failed++ }
      }
    }
    if (b.rescue.length) this.checkFailLimits(ctx)
  }

  // ---------- segments ----------

  private rules(play: PlayDef): SegmentRules {
    // any_errors_fatal and max_fail_percentage judge after every task, so their plays run task by task.
    const judgeEachTask = play.anyErrorsFatal || play.maxFailPercentage !== undefined
    return {
      isLocal: (m) => judgeEachTask || (this.o.taskType(m)?.kind ?? 'remote') !== 'remote',
      reads: this.o.reads,
      definitionReads: (name) => this.definitionReadsOf(play)(name),
    }
  }

  private readonly definitionReadsByPlay = new WeakMap<PlayDef, (name: string) => string[]>()

  /** What the values a variable is given by the play, its roles (imported ones too) and extra vars read. */
  private definitionReadsOf(play: PlayDef): (name: string) => string[] {
    let of = this.definitionReadsByPlay.get(play)
    if (of) return of
    const defs = new Map<string, unknown[]>()
    const sources = [play.vars, this.o.extraVars, ...rolesOfPlay(play).flatMap((r) => [...r.defaultsFiles, ...r.varsFiles].map((f) => f.data))]
    for (const vars of sources) {
      for (const [k, v] of Object.entries(vars)) defs.set(k, [...(defs.get(k) ?? []), v])
    }
    const reads = new Map<string, string[]>()
    of = (name) => {
      let r = reads.get(name)
      if (!r) reads.set(name, (r = [...new Set((defs.get(name) ?? []).flatMap((d) => this.o.reads(d, false)))]))
      return r
    }
    this.definitionReadsByPlay.set(play, of)
    return of
  }

  private async runTasks(tasks: TaskDef[], hosts: string[], ctx: PlayCtx, handler = false): Promise<void> {
    for (const seg of segmentTasks(tasks, this.rules(ctx.play))) {
      // After an interruption set_fact still records what the finished tasks did (a hold taken or released).
      if (ctx.aborted || (this.o.signal?.aborted && !seg.every((t) => RECORDING_MODULES.has(t.module)))) return
      const live = hosts.filter((h) => this.states.live(h))
      if (!live.length) return
      await this.told.grouped(seg, live, ctx.play.strategy === 'linear', handler, async () => {
        const waiting = ctx.batch.filter((h) => this.states.get(h).factsPending)
        if (waiting.length && !this.carriesFacts(seg)) await this.gatherFacts(waiting, ctx)
        await this.runSegment(seg, live, ctx)
      })
      this.checkFailLimits(ctx)
    }
  }

  private async runSegment(seg: Segment, live: string[], ctx: PlayCtx): Promise<void> {
    const first = seg[0]!
    const type = this.o.taskType(first.module)
    if (seg.length === 1 && type?.kind === 'run-control') {
      const action = type.action(this.o.parseParams(type, first.args, first.where))
      await this.runMeta(first, action, live, ctx)
    } else if (first.runOnce) {
      await this.runOnce(first, live, ctx)
    } else {
      const carry = this.carriesFacts(seg)
      const again: string[] = []
      await Promise.all(live.map((h) => this.limiter(async () => { if (!(await this.hostSegment(seg, h, ctx, carry))) again.push(h) })))
      if (!again.length) return
      // Planning read facts that were not there yet: gather the pending ones (also those other hosts read
      // through hostvars), then run the segment on those hosts as if facts had come first.
      await this.gatherFacts(ctx.batch.filter((h) => this.states.get(h).factsPending), ctx)
      await Promise.all(again.filter((h) => this.states.live(h)).map((h) => this.limiter(() => this.hostSegment(seg, h, ctx))))
    }
  }

  /** False when the host must run the segment again once facts are gathered. */
  private async hostSegment(seg: Segment, host: string, ctx: PlayCtx, carryFacts = false): Promise<boolean> {
    await this.turns.next()
    const deps = { o: this.o, states: this.states, scopes: this.scopes, told: this.told, playbookDir: this.playbookDir,
      connection: (h: string, c: PlayCtx) => this.connection(h, c),
      pendingFacts: this.pendingFacts, factsArrived: (h: string, text: string) => this.factsArrived(h, text) }
    return new HostSegment(deps, seg, host, ctx, carryFacts).run()
  }

  private async runOnce(t: TaskDef, hosts: string[], ctx: PlayCtx): Promise<void> {
    const first = hosts[0]!
    await this.limiter(() => this.hostSegment([t], first, ctx))
    if (t.register) {
      const value = this.states.get(first).registered[t.register]
      for (const h of hosts.slice(1)) this.states.get(h).registered[t.register] = value
    }
  }

  private checkFailLimits(ctx: PlayCtx): void {
    if (ctx.rescuable || ctx.aborted) return
    const failed = ctx.batch.filter((h) => this.states.down(h)).length
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

  // ---------- meta actions (the list and what each means: ../meta-actions.ts) ----------

  /** Carries out a meta action for the hosts whose `when` holds (the others are told skipped). */
  private async runMeta(t: TaskDef, action: MetaAction, hosts: string[], ctx: PlayCtx): Promise<void> {
    const chosen = hosts.filter((h) => {
      const scope = this.scopes.task(h, t, ctx)
      const run = t.when.every((c) => scope.truthy(c, { ...t.where, host: h }))
      if (!run) this.told.record(h, t, { status: 'skipped', data: {} })
      return run
    })
    if (!chosen.length) return
    switch (action) {
      case 'flush_handlers': await this.runHandlers(ctx); break
      case 'end_host': for (const h of chosen) this.states.get(h).ended = true; break
      case 'end_batch': for (const h of ctx.batch) this.states.get(h).ended = true; break
      case 'end_play':
        ctx.playEnd.ended = true
        for (const h of ctx.batch) this.states.get(h).ended = true
        break
      case 'clear_host_errors': this.clearHostErrors(ctx); break
      case 'noop': case 'clear_facts': case 'refresh_inventory': break
      default: throw new PlaybookError(`meta: unknown action '${action as string}'`, t.where)
    }
  }

  /** Failed hosts of the batch run the next tasks again; their recap keeps the failure, as Ansible's stats do. */
  private clearHostErrors(ctx: PlayCtx): void {
    for (const h of ctx.batch) {
      const s = this.states.get(h)
      if (s.failed && !s.unreachable) { s.failed = false; s.failure = undefined }
    }
  }

  // ---------- handlers ----------

  private async runHandlers(ctx: PlayCtx): Promise<void> {
    const play = ctx.play
    for (;;) {
      const notifiedHosts = ctx.batch.filter((h) => this.states.get(h).notified.size > 0 && !this.states.down(h))
      if (!notifiedHosts.length) return
      const todo = new Map<string, Set<string>>()
      for (const h of notifiedHosts) {
        todo.set(h, new Set(this.states.get(h).notified))
        this.states.get(h).notified.clear()
      }
      this.assertHandlersExist(play, todo)
      for (const hd of play.handlers) {
        const hosts = [...todo].filter(([, names]) => names.has(hd.name) || (hd.listen ?? []).some((l) => names.has(l))).map(([h]) => h)
        const live = hosts.filter((h) => !this.states.down(h))
        if (!live.length) continue
        this.o.sink.emit({ type: 'handler', name: hd.name, hosts: live })
        await this.runTasks([hd], live, ctx, true)
      }
    }
  }

  private assertHandlersExist(play: PlayDef, todo: Map<string, Set<string>>): void {
    for (const [h, names] of todo) {
      for (const n of names) {
        if (!play.handlers.some((x) => x.name === n || x.listen?.includes(n))) {
          throw new PlaybookError(`a task notified '${n}' but no handler has that name or listens to it`, { host: h, file: play.where.file })
        }
      }
    }
  }
}
