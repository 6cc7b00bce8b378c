// Which nodes play which kubespray role. Default: one control plane (and etcd member) up to four nodes,
// three from five on, so etcd keeps an odd quorum; workers are the rest, or every node when none is left.

import { UsageError } from '../engine/errors.js'

export interface Topology {
  controlPlanes: string[]
  etcd: string[]
  workers: string[]
}

/** A count takes the first N nodes; a list names them. */
export type RoleChoice = number | string[]

function pick(choice: RoleChoice, nodes: string[], what: string): string[] {
  if (typeof choice === 'number') {
    if (!Number.isInteger(choice) || choice < 1 || choice > nodes.length) {
      throw new UsageError(`${what}: ${choice} is not a count between 1 and ${nodes.length}`, undefined,
        `give a number of nodes from 1 to ${nodes.length}, or node names`)
    }
    return nodes.slice(0, choice)
  }
  const unknown = choice.filter((n) => !nodes.includes(n))
  if (unknown.length > 0 || choice.length === 0) {
    throw new UsageError(`${what}: ${unknown.length ? `unknown node ${unknown.join(', ')}` : 'empty list'}`, undefined,
      `choose among ${nodes.join(', ')}`)
  }
  return nodes.filter((n) => choice.includes(n))
}

export function planTopology(nodes: string[], controlPlanes?: RoleChoice, etcd?: RoleChoice): Topology {
  if (nodes.length === 0) throw new UsageError('a sandbox needs at least one node', undefined, 'use --nodes 1 or more')
  const cp = pick(controlPlanes ?? (nodes.length >= 5 ? 3 : 1), nodes, 'control planes')
  const members = pick(etcd ?? cp, nodes, 'etcd members')
  const rest = nodes.filter((n) => !cp.includes(n))
  return { controlPlanes: cp, etcd: members, workers: rest.length > 0 ? rest : [...cp] }
}
