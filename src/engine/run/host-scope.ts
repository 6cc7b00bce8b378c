// A host's variables for a play and for one task, with the magic variables Ansible computes (hostvars,
// groups, play_hosts, inventory_hostname...). Scopes are per play (its vars and roles) and cheap per task.

import { factVars } from '../facts/parse.js'
import type { FactsCache } from '../facts/cache.js'
import type { Inventory } from '../inventory/model.js'
import { rolesOfPlay, type TaskDef } from '../playbook/model.js'
import type { ScopeLayer } from '../vars/layer.js'
import type { Scope, ScopeFactory } from '../vars/scope.js'
import { hostvarsProxy } from './hostvars.js'
import type { HostStates } from './host-state.js'
import type { PendingFacts } from './pending-facts.js'
import type { PlayCtx } from './play-context.js'

/** Computed variables for a host; `scope` is the host's play scope. */
export type HostMagic = (host: string, scope: () => Scope) => Record<string, () => unknown>

export interface ScopeSources {
  inventory: Inventory
  makeScope: ScopeFactory
  extraVars: Record<string, unknown>
  check: boolean
  diff: boolean
  inventoryFile?: string
  inventoryDir?: string
  factsCache?: FactsCache
  extraMagic?: HostMagic
}

export interface LoopItem {
  name: string
  value: unknown
  index: number
}

export class HostScopes {
  private groups?: Record<string, string[]>

  constructor(private readonly o: ScopeSources, private readonly states: HostStates, private readonly pending: PendingFacts) {}

  private loadCachedFacts(host: string): void {
    const s = this.states.get(host)
    if (!s.factsGathered && !s.factsPending && this.o.factsCache && !Object.keys(s.facts).length) {
      const cached = this.o.factsCache.load(host)
      if (cached) s.facts = cached
    }
  }

  /** The scope of a host for a play: role defaults < inventory < facts < play vars < role vars < extra vars. */
  play(host: string, ctx: PlayCtx): Scope {
    const s = this.states.get(host)
    if (s.playScope) return s.playScope
    const play = ctx.play
    this.loadCachedFacts(host)
    const layers: ScopeLayer[] = []
    const roles = rolesOfPlay(play)
    for (const r of roles) for (const f of r.defaultsFiles) layers.push({ source: f.file, vars: f.data, lines: f.lines })
    layers.push(...this.o.inventory.hostLayers(host))
    layers.push(this.factsLayer(host))
    layers.push({ source: play.where.file ?? 'play vars', vars: play.vars, lines: play.varsLines })
    for (const r of roles) for (const f of r.varsFiles) layers.push({ source: f.file, vars: f.data, lines: f.lines })
    // Extra vars win everywhere, also for what is read through the play scope alone (connection
    // settings, the offline artifacts); task scopes put them on top again.
    if (Object.keys(this.o.extraVars).length) layers.push(this.extraLayer())
    s.playScope = this.o.makeScope(layers, { host, magic: this.magic(host, ctx, () => s.playScope!) })
    return s.playScope
  }

  /**
   * `hostvars[host]` as Ansible builds it: the host's inventory variables, facts, then what set_fact and
   * register gave it so far, and extra vars, without the play's role defaults and vars. So a role default
   * that reads itself through hostvars (kubespray's etcd_member_name) sees the inventory's value or
   * nothing, and its default() applies. Made again once the host's facts or registered values changed.
   */
  private hostvarsScope(host: string, ctx: PlayCtx): Scope {
    const s = this.states.get(host)
    this.loadCachedFacts(host)
    const of = s.hostScopeOf
    if (s.hostScope && of?.registeredVersion === s.registeredVersion && of.facts === s.facts) return s.hostScope
    const layers: ScopeLayer[] = [
      ...this.o.inventory.hostLayers(host),
      this.factsLayer(host),
    ]
    if (Object.keys(s.registered).length) layers.push({ source: `registered and set_fact vars of ${host}`, vars: { ...s.registered }, literal: true })
    if (Object.keys(this.o.extraVars).length) layers.push(this.extraLayer())
    s.hostScope = this.o.makeScope(layers, { host, magic: this.magic(host, ctx, () => this.play(host, ctx)) })
    s.hostScopeOf = { registeredVersion: s.registeredVersion, facts: s.facts }
    return s.hostScope
  }

  private factsLayer(host: string): ScopeLayer {
    const s = this.states.get(host)
    const vars = s.factsPending ? this.pending.vars(host, () => (s.factsGathered ? s.facts : undefined)) : factVars(s.facts)
    return { source: `facts of ${host}`, vars, literal: true }
  }

  private extraLayer(): ScopeLayer {
    return { source: 'extra vars (-e)', vars: this.o.extraVars }
  }

  /** A task's scope: the play scope, then task vars, role path, registered values, loop item, extra vars. */
  task(host: string, t: TaskDef, ctx: PlayCtx, item?: LoopItem): Scope {
    const s = this.states.get(host)
    let scope = this.play(host, ctx)
    // a value that read hostvars is rendered again once some host's set_fact or register changed them
    if (s.playScopeEpoch !== this.states.registeredEpoch) {
      if (s.playScopeEpoch !== undefined) scope.forgetReaders('hostvars')
      s.playScopeEpoch = this.states.registeredEpoch
    }
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
    if (Object.keys(this.o.extraVars).length) scope = scope.child(this.extraLayer())
    return scope
  }

  private groupsMap(): Record<string, string[]> {
    if (!this.groups) {
      this.groups = {}
      for (const g of this.o.inventory.groups.keys()) this.groups[g] = this.o.inventory.groupHosts(g)
    }
    return this.groups
  }

  private magic(host: string, ctx: PlayCtx, playScope: () => Scope): Record<string, () => unknown> {
    const play = ctx.play
    const inv = this.o.inventory
    const groupNames = inv.hosts.get(host)?.groups.filter((g) => g !== 'all' && g !== 'ungrouped') ?? []
    const hostvars = hostvarsProxy([...inv.hosts.keys()], (h) => this.hostvarsScope(h, ctx))
    const inventoryDir = this.o.inventoryDir ?? play.baseDir
    return {
      inventory_hostname: () => host,
      inventory_hostname_short: () => host.split('.')[0],
      group_names: () => groupNames,
      groups: () => this.groupsMap(),
      hostvars: () => hostvars,
      play_hosts: () => ctx.alive(),
      ansible_play_hosts: () => ctx.alive(),
      ansible_play_hosts_all: () => ctx.playHosts,
      ansible_play_batch: () => ctx.alive(),
      ansible_check_mode: () => this.o.check,
      ansible_diff_mode: () => this.o.diff,
      playbook_dir: () => play.baseDir,
      inventory_dir: () => inventoryDir,
      inventory_file: () => this.o.inventoryFile ?? '',
      ...(this.o.extraMagic?.(host, playScope) ?? {}),
    }
  }
}
