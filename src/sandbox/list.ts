// `kubeseed sandbox ls`: the registered sandboxes and whether each node runs.

import { isMountPoint } from './mounts.js'
import { isSameProcess } from './process-tree.js'
import { findStateDir, nodePaths, readState, registeredNames, statePaths } from './state.js'

export interface SandboxSummary {
  name: string
  stateDir: string
  subnet: string
  bridge: string
  inventory: string
  nodes: Array<{ name: string; address: string; roles: string[]; running: boolean }>
}

export function sandboxList(): SandboxSummary[] {
  const out: SandboxSummary[] = []
  for (const name of registeredNames()) {
    const dir = findStateDir(name)
    const state = dir === undefined ? undefined : readState(dir)
    if (!state) continue
    out.push({
      name,
      stateDir: state.stateDir,
      subnet: state.subnet,
      bridge: state.bridge,
      inventory: statePaths(state.stateDir).hosts,
      nodes: state.nodes.map((n) => ({
        name: n.name,
        address: n.address,
        roles: [
          ...(state.controlPlanes.includes(n.name) ? ['kube_control_plane'] : []),
          ...(state.etcd.includes(n.name) ? ['etcd'] : []),
          ...(state.workers.includes(n.name) ? ['kube_node'] : []),
        ],
        running: isSameProcess(n.pid, n.startTime) && isMountPoint(nodePaths(state.stateDir, n.name).root),
      })),
    })
  }
  return out
}
