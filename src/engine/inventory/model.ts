// The inventory as the rest of kubeseed sees it: hosts, groups, and per-host variable layers.
import type { VarLayer } from '../vars/layer.js'

export type { VarLayer }

export interface InvHost {
  name: string
  /** every group the host is in, with ancestors and 'all', sorted by name */
  groups: string[]
}

export interface InvGroup {
  name: string
  /** direct members, inventory order */
  hosts: string[]
  children: string[]
  parents: string[]
  /** longest path from 'all' (which is 0): deeper groups' vars win */
  depth: number
  /** ansible_group_priority from the inventory file (default 1): among equal depth, higher wins */
  priority: number
}

export interface Inventory {
  /** in Ansible's order for the pattern 'all' */
  hosts: Map<string, InvHost>
  /** in the order groups were first seen */
  groups: Map<string, InvGroup>
  /** problems worth telling the user that did not stop loading (legacy group names, ...) */
  warnings: string[]
  /** ordered lowest-first inventory layers for one host */
  hostLayers(host: string): VarLayer[]
  /** merged vars of a host (what ansible-inventory --host prints) */
  hostVars(host: string): Record<string, unknown>
  /** vars set on a group itself (inventory file, then group_vars/ files), as ansible-inventory --graph --vars shows them */
  groupVars(group: string): Record<string, unknown>
  /** hosts of a group and all its descendants, in Ansible's order */
  groupHosts(group: string): string[]
}

/** Top-level replace, no deep merge: what Ansible does with the default hash_behaviour. */
export function mergeLayers(layers: readonly VarLayer[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const l of layers) Object.assign(out, l.vars)
  return out
}
