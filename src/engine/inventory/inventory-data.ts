// The mutable inventory the parsers fill, with Ansible's rules for groups and hosts
// (implicit 'all' and 'ungrouped', group depth, ansible_group_priority). No I/O.
import { InventoryError, type Where } from '../errors.js'
import { currentGroupName } from './kubespray-groups.js'
import type { VarLayer } from './model.js'

export interface GroupData {
  name: string
  hosts: string[]
  children: string[]
  parents: string[]
  priority: number
  vars: VarLayer[]
}

export interface HostData {
  name: string
  /** groups the host was put in directly */
  groups: string[]
  vars: VarLayer[]
}

export interface VarSite {
  file: string
  line?: number
}

function setVar(layers: VarLayer[], key: string, value: unknown, at: VarSite): void {
  let last = layers[layers.length - 1]
  if (!last || last.source !== at.file) {
    last = { source: at.file, vars: {}, lines: {} }
    layers.push(last)
  }
  // re-setting a key moves it to the end, so a later file's value wins in every layer order
  delete last.vars[key]
  last.vars[key] = value
  if (at.line !== undefined) last.lines![key] = at.line
}

export class InventoryData {
  readonly groups = new Map<string, GroupData>()
  readonly hosts = new Map<string, HostData>()
  readonly warnings: string[] = []
  private readonly warnedLegacy = new Set<string>()

  constructor() {
    this.addGroup('all')
    this.addGroup('ungrouped')
    this.addChildGroup('all', 'ungrouped')
  }

  /** The name a group is stored under (legacy kubespray names map to the current ones). */
  groupName(name: string, where?: Where): string {
    const current = currentGroupName(name)
    if (current !== name && !this.warnedLegacy.has(name)) {
      this.warnedLegacy.add(name)
      const at = where?.file ? ` (${where.file}${where.line ? `:${where.line}` : ''})` : ''
      this.warnings.push(
        `group '${name}'${at} is the legacy kubespray name of '${current}' and is read as '${current}'; rename it in the inventory`,
      )
    }
    return current
  }

  addGroup(rawName: string, where?: Where): string {
    if (!rawName) throw new InventoryError('empty group name', where, 'give the group a name')
    const name = this.groupName(rawName, where)
    if (!this.groups.has(name)) this.groups.set(name, { name, hosts: [], children: [], parents: [], priority: 1, vars: [] })
    return name
  }

  private group(name: string): GroupData {
    const g = this.groups.get(this.groupName(name))
    if (!g) throw new Error(`group ${name} was not added`)
    return g
  }

  addHost(name: string, group: string | undefined, port: number | undefined, where: VarSite): void {
    if (!name) throw new InventoryError('empty host name', where, 'give the host a name')
    let h = this.hosts.get(name)
    if (!h) {
      h = { name, groups: [], vars: [] }
      this.hosts.set(name, h)
      // the port of a host's first definition sticks, as in Ansible
      if (port !== undefined) setVar(h.vars, 'ansible_port', port, where)
    }
    if (group !== undefined) {
      const g = this.group(group)
      if (!g.hosts.includes(name)) g.hosts.push(name)
      if (!h.groups.includes(g.name)) h.groups.push(g.name)
    }
  }

  private ancestors(group: string, seen = new Set<string>()): Set<string> {
    for (const p of this.group(group).parents) {
      if (!seen.has(p)) {
        seen.add(p)
        this.ancestors(p, seen)
      }
    }
    return seen
  }

  addChildGroup(parentName: string, childName: string, where?: Where): void {
    const parent = this.group(parentName)
    const child = this.group(childName)
    if (parent.name === child.name) {
      throw new InventoryError(`group '${child.name}' is listed as a child of itself`, where, 'remove it from its own children')
    }
    if (parent.children.includes(child.name)) return
    if (this.ancestors(parent.name).has(child.name)) {
      throw new InventoryError(
        `adding group '${child.name}' as child of '${parent.name}' creates a loop`,
        where,
        `'${child.name}' is already an ancestor of '${parent.name}'; remove one of the two links`,
      )
    }
    parent.children.push(child.name)
    child.parents.push(parent.name)
  }

  setGroupVar(groupName: string, key: string, value: unknown, at: VarSite): void {
    const g = this.group(groupName)
    if (key === 'ansible_group_priority') {
      const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : NaN
      if (!Number.isInteger(n)) {
        throw new InventoryError(`ansible_group_priority of group '${g.name}' is not an integer: ${JSON.stringify(value)}`, at, 'set a whole number such as 10')
      }
      g.priority = n
      return
    }
    setVar(g.vars, key, value, at)
  }

  setHostVar(hostName: string, key: string, value: unknown, at: VarSite): void {
    const h = this.hosts.get(hostName)
    if (!h) throw new Error(`host ${hostName} was not added`)
    setVar(h.vars, key, value, at)
  }

  /** Ansible's reconcile_inventory: top groups under 'all', lone hosts in 'ungrouped'. */
  reconcile(): void {
    for (const g of this.groups.values()) {
      if (g.name !== 'all' && g.parents.length === 0) this.addChildGroup('all', g.name)
    }
    const ungrouped = this.group('ungrouped')
    for (const h of this.hosts.values()) {
      const others = h.groups.filter((g) => g !== 'all' && g !== 'ungrouped')
      if (h.groups.includes('ungrouped')) {
        if (others.length > 0) {
          ungrouped.hosts = ungrouped.hosts.filter((n) => n !== h.name)
          h.groups = h.groups.filter((g) => g !== 'ungrouped')
        }
      } else if (others.length === 0) {
        ungrouped.hosts.push(h.name)
        h.groups.push('ungrouped')
      }
    }
  }

  /** All groups of a host: direct ones and their ancestors. */
  hostGroups(hostName: string): Set<string> {
    const out = new Set<string>()
    for (const g of this.hosts.get(hostName)?.groups ?? []) {
      out.add(g)
      for (const a of this.ancestors(g)) out.add(a)
    }
    return out
  }

  /** Longest path from 'all'. */
  depths(): Map<string, number> {
    const depth = new Map<string, number>()
    const of = (name: string): number => {
      const known = depth.get(name)
      if (known !== undefined) return known
      const parents = this.group(name).parents
      const d = parents.length === 0 ? 0 : Math.max(...parents.map((p) => of(p) + 1))
      depth.set(name, d)
      return d
    }
    for (const g of this.groups.keys()) of(g)
    return depth
  }

  /** Hosts of a group and its descendants, breadth first, each once (Ansible's Group.get_hosts). */
  groupHosts(name: string): string[] {
    const seenGroups = new Set<string>([name])
    const seenHosts = new Set<string>()
    const out: string[] = []
    let level = [name]
    while (level.length > 0) {
      const next: string[] = []
      for (const g of level) {
        for (const h of this.group(g).hosts) {
          if (!seenHosts.has(h)) {
            seenHosts.add(h)
            out.push(h)
          }
        }
      }
      for (const g of level) {
        for (const c of this.group(g).children) {
          if (!seenGroups.has(c)) {
            seenGroups.add(c)
            next.push(c)
          }
        }
      }
      level = next
    }
    return out
  }
}
