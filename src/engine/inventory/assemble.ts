// Turns parsed inventory data plus group_vars/host_vars files into the read-only Inventory,
// with Ansible's variable order: inventory group vars ('all', then groups by depth, priority,
// name) < group_vars files (same order, per inventory source) < inventory host vars < host_vars files.
import { InventoryError } from '../errors.js'
import type { InventoryData } from './inventory-data.js'
import { legacyNamesOf } from './kubespray-groups.js'
import { mergeLayers, type InvGroup, type InvHost, type Inventory, type VarLayer } from './model.js'
import { findVarsFiles, type VarsFileCache } from './vars-files.js'
import { join } from 'node:path'

function groupsAndHosts(data: InventoryData): { groups: Map<string, InvGroup>; hosts: Map<string, InvHost> } {
  const depths = data.depths()
  const groups = new Map<string, InvGroup>()
  for (const g of data.groups.values()) {
    groups.set(g.name, { name: g.name, hosts: [...g.hosts], children: [...g.children], parents: [...g.parents], depth: depths.get(g.name)!, priority: g.priority })
  }
  const hosts = new Map<string, InvHost>()
  for (const name of data.groupHosts('all')) {
    hosts.set(name, { name, groups: [...data.hostGroups(name)].sort() })
  }
  return { groups, hosts }
}

/** Reads group_vars/ and host_vars/ files; group_vars of a legacy group name apply to its current name, below its own. */
function varsFileLayers(files: VarsFileCache, warnings: string[]) {
  const fileLayers = (dir: string, sub: 'group_vars' | 'host_vars', name: string): VarLayer[] =>
    findVarsFiles(join(dir, sub), name).flatMap((file) => files.load(file) ?? [])
  const groupFileCache = new Map<string, VarLayer[]>()
  const groupFileLayers = (dir: string, name: string): VarLayer[] => {
    const key = `${dir}\u0000${name}`
    const cached = groupFileCache.get(key)
    if (cached) return cached
    const legacy = legacyNamesOf(name).flatMap((old) => {
      const layers = fileLayers(dir, 'group_vars', old)
      for (const l of layers) {
        const msg = `${l.source} holds vars of legacy group '${old}' and is read for '${name}'; rename it to group_vars/${name}`
        if (!warnings.includes(msg)) warnings.push(msg)
      }
      return layers
    })
    const layers = [...legacy, ...fileLayers(dir, 'group_vars', name)]
    groupFileCache.set(key, layers)
    return layers
  }
  return { fileLayers, groupFileLayers }
}

/** Ansible's order of group variables: by depth, then ansible_group_priority, then name. */
function byVarOrder(groups: Map<string, InvGroup>, names: string[]): string[] {
  return names
    .map((n) => groups.get(n)!)
    .sort((a, b) => a.depth - b.depth || a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((g) => g.name)
}

export function assembleInventory(data: InventoryData, varsDirs: string[], files: VarsFileCache): Inventory {
  data.reconcile()
  const warnings = [...data.warnings]

  const { groups, hosts } = groupsAndHosts(data)
  const { fileLayers, groupFileLayers } = varsFileLayers(files, warnings)
  // Load every vars file now, so a broken one fails the load rather than a later lookup.
  for (const dir of varsDirs) for (const g of groups.keys()) groupFileLayers(dir, g)

  const sortGroups = (names: string[]) => byVarOrder(groups, names)

  const hostLayerCache = new Map<string, VarLayer[]>()
  const hostLayers = (host: string): VarLayer[] => {
    const cached = hostLayerCache.get(host)
    if (cached) return cached
    const h = hosts.get(host)
    const hd = data.hosts.get(host)
    if (!h || !hd) throw new InventoryError(`unknown host '${host}'`, undefined, 'use a host name from the inventory')
    const ordered = sortGroups(h.groups.filter((g) => g !== 'all'))
    const layers: VarLayer[] = [
      ...data.groups.get('all')!.vars,
      ...ordered.flatMap((g) => data.groups.get(g)!.vars),
    ]
    // per inventory source: first 'all', then the host's groups (Ansible combines source by source)
    for (const dir of varsDirs) layers.push(...groupFileLayers(dir, 'all'))
    for (const dir of varsDirs) for (const g of ordered) layers.push(...groupFileLayers(dir, g))
    layers.push(...hd.vars)
    for (const dir of varsDirs) layers.push(...fileLayers(dir, 'host_vars', host))
    hostLayerCache.set(host, layers)
    return layers
  }
  for (const h of hosts.keys()) hostLayers(h)

  return {
    hosts,
    groups,
    warnings,
    // a copy, so a caller adding its own layers cannot change what others see
    hostLayers: (host) => [...hostLayers(host)],
    hostVars: (host) => mergeLayers(hostLayers(host)),
    groupVars: (group) => {
      const g = data.groups.get(group)
      if (!g) throw new InventoryError(`unknown group '${group}'`, undefined, 'use a group name from the inventory')
      return mergeLayers([...g.vars, ...varsDirs.flatMap((dir) => groupFileLayers(dir, group))])
    },
    groupHosts: (group) => {
      if (!data.groups.has(group)) throw new InventoryError(`unknown group '${group}'`, undefined, 'use a group name from the inventory')
      return data.groupHosts(group)
    },
  }
}
