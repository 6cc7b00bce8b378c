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

/**
 * kubespray's network_facts role sets these for every host as cacheable facts, so other hosts read them
 * through hostvars (and so does a run limited to some hosts). kubeseed lifts their definitions from the
 * kubespray_defaults role defaults into each host's own variables, unless the inventory sets them.
 */
const NETWORK_FACTS = ['main_ip', 'main_access_ip']

function networkFactsLayer(defaults: VarLayer, own: VarScope): VarLayer {
  const vars: Record<string, unknown> = {}
  for (const name of NETWORK_FACTS) if (name in defaults.vars && own.raw(name) === undefined) vars[name] = defaults.vars[name]
  return { source: `${defaults.source} (as kubespray's network_facts sets them for every host)`, vars }
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

  /**
   * @param extraVars the run's `-e` values: they win everywhere (Ansible's highest precedence), so values
   *   derived from cluster_name or the service CIDR are derived from theirs, and checks read theirs.
   */
  constructor(
    private readonly loaded: Inventory,
    private readonly warn: (message: string) => void,
    private readonly extraVars: Record<string, unknown> = {},
  ) {}

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

  /** The host's inventory variables, derived values included, with the extra vars on top, as a scope. */
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
      const extra: VarLayer[] = Object.keys(this.extraVars).length ? [{ source: 'extra vars (-e)', vars: this.extraVars }] : []
      this.defaults ??= roleDefaultsLayer()
      const derived = deriveKubesprayVars(new VarScope([...own, ...extra], { host }), this.warnedDerived, new VarScope([this.defaults, ...own, ...extra], { host }))
      for (const w of derived.warnings) this.warn(w)
      const added = [networkFactsLayer(this.defaults, new VarScope(own, { host })), derived.layer].filter((l) => Object.keys(l.vars).length > 0)
      e = { layers: [...own, ...added], scope: [...added, ...extra].reduce((sc, l) => sc.child(l), new VarScope(own, { host })) }
      this.entries.set(host, e)
    }
    return e
  }
}

/** Loads the inventory paths (warnings told through `warn`) as a run with these extra vars uses them. */
export function prepareInventory(paths: string[], warn: (message: string) => void, extraVars: Record<string, unknown> = {}): PreparedInventory {
  const inv = loadInventory(paths.map((p) => resolve(p)))
  for (const w of inv.warnings) warn(w)
  return new PreparedInventory(inv, warn, extraVars)
}
