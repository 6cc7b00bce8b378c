// The inventory as a run uses it: the loaded inventory (what ansible-inventory shows) with the values
// kubeseed derives the way kubespray does layered on top of each host's variables, derived once per host,
// and the checks that stop a run before any host is touched.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ROLES_DIR } from '../paths.js'
import { loadYaml } from '../yaml.js'
import { InventoryError } from '../errors.js'
import type { VarLayer } from '../vars/layer.js'
import { VarScope } from '../vars/scope.js'
import { checkInventory, type CheckOptions } from './checks.js'
import { deriveKubesprayVars } from './kubespray-derived.js'
import { loadInventory } from './load.js'
import type { Inventory } from './model.js'

/**
 * kubeseed's kubespray_defaults role defaults, which every bundled play has under the inventory: an
 * inventory expression for a derived value is judged over them (kubespray's sample reads
 * kube_service_subnets, defined there), so only one that really fails is warned about.
 */
function roleDefaultsLayer(): VarLayer {
  const file = join(ROLES_DIR, 'kubespray_defaults', 'defaults', 'main.yaml')
  return { source: file, vars: (loadYaml(readFileSync(file, 'utf8'), file) ?? {}) as Record<string, unknown> }
}

interface HostEntry {
  layers: VarLayer[]
  scope: VarScope
}

export class PreparedInventory implements Inventory {
  private readonly entries = new Map<string, HostEntry>()
  /** Derived names already warned about: each warning appears once per run. */
  private readonly warnedDerived = new Set<string>()
  private defaults?: VarLayer

  constructor(private readonly loaded: Inventory, private readonly warn: (message: string) => void) {}

  get hosts(): Inventory['hosts'] { return this.loaded.hosts }
  get groups(): Inventory['groups'] { return this.loaded.groups }
  get warnings(): string[] { return this.loaded.warnings }
  /** As ansible-inventory prints them: without derived values. */
  hostVars(host: string): Record<string, unknown> { return this.loaded.hostVars(host) }
  groupVars(group: string): Record<string, unknown> { return this.loaded.groupVars(group) }
  groupHosts(group: string): string[] { return this.loaded.groupHosts(group) }

  /** The host's inventory layers, then the derived values (when any apply). */
  hostLayers(host: string): VarLayer[] {
    return [...this.entry(host).layers]
  }

  /** The host's inventory variables, derived values included, as a scope. */
  scope(host: string): VarScope {
    return this.entry(host).scope
  }

  /** Inventory checks (etcd count, duplicate addresses, CIDR overlap, group membership): errors stop the run. */
  check(opts: Pick<CheckOptions, 'kubeVersionProblem'> = {}): void {
    // Findings name where a value is set (file:line) when the inventory knows it.
    const origin = (host: string, name: string) => {
      const r = this.scope(host).raw(name)
      if (!r?.source.includes('/')) return undefined
      return r.line ? `${r.source}:${r.line}` : r.source
    }
    const findings = checkInventory(this, (host, name) => {
      const s = this.scope(host)
      return s.has(name) ? s.get(name) : undefined
    }, { ...opts, origin })
    for (const f of findings.filter((x) => x.level === 'warning')) this.warn(f.message)
    const errors = findings.filter((x) => x.level === 'error')
    if (errors.length) throw new InventoryError(errors.map((e) => e.message).join('; '))
  }

  private entry(host: string): HostEntry {
    let e = this.entries.get(host)
    if (!e) {
      const own = this.loaded.hostLayers(host)
      const scope = new VarScope(own, { host })
      this.defaults ??= roleDefaultsLayer()
      const derived = deriveKubesprayVars(scope, this.warnedDerived, new VarScope([this.defaults, ...own], { host }))
      for (const w of derived.warnings) this.warn(w)
      const any = Object.keys(derived.layer.vars).length > 0
      e = { layers: any ? [...own, derived.layer] : own, scope: any ? scope.child(derived.layer) : scope }
      this.entries.set(host, e)
    }
    return e
  }
}

/** Loads the inventory paths (warnings told through `warn`) as a run uses them. */
export function prepareInventory(paths: string[], warn: (message: string) => void): PreparedInventory {
  const inv = loadInventory(paths.map((p) => resolve(p)))
  for (const w of inv.warnings) warn(w)
  return new PreparedInventory(inv, warn)
}
