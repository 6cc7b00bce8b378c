// Stopping one node, however it was left: a running nspawn is asked to power the node off (then killed),
// and whatever still runs in the node's cgroups afterwards (a node whose nspawn was killed) is killed.

import { cgroupProcesses } from './cgroups.js'
import { isSameProcess, killProcesses, nspawnProcessesFor, stopProcessTree } from './process-tree.js'

export interface NodeProcesses {
  root: string
  cgroups: string[]
  pid?: number
  startTime?: number
}

/** Returns true when something of the node was running. */
export async function stopNode(node: NodeProcesses): Promise<boolean> {
  const nspawns = new Set(nspawnProcessesFor(node.root))
  if (node.pid && isSameProcess(node.pid, node.startTime)) nspawns.add(node.pid)
  const members = node.cgroups.flatMap(cgroupProcesses)
  if (nspawns.size === 0 && members.length === 0) return false
  await Promise.all([...nspawns].map((pid) => stopProcessTree(pid)))
  const left = node.cgroups.flatMap(cgroupProcesses)
  if (left.length > 0) await killProcesses(left)
  return true
}
