// What controllers would report, computed when an object is read, since no controller runs here:
// a node whose kubelet stopped posting turns Unknown (node lifecycle controller), and a DaemonSet
// says on how many nodes it should run, with no pod running (the emulation starts no pods).

type Obj = Record<string, any>

/** kube-controller-manager's --node-monitor-grace-period default (50s since 1.32). */
export const NODE_MONITOR_GRACE_MS = 50_000

export function withNodeLifecycle(node: Obj, now = Date.now(), graceMs = NODE_MONITOR_GRACE_MS): Obj {
  const conditions: Obj[] = node.status?.conditions ?? []
  const ready = conditions.find((c) => c.type === 'Ready')
  if (!ready || ready.status === 'Unknown') return node
  const heartbeat = Date.parse(ready.lastHeartbeatTime ?? '')
  if (Number.isNaN(heartbeat) || now - heartbeat <= graceMs) return node
  const stale = { ...ready, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: new Date(heartbeat + graceMs).toISOString().replace(/\.\d+Z$/, 'Z') }
  return { ...node, status: { ...node.status, conditions: conditions.map((c) => (c === ready ? stale : c)) } }
}

/** Tolerations the DaemonSet controller adds to every DaemonSet pod. */
function daemonTolerations(hostNetwork: boolean): Obj[] {
  const t = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
    ...['disk-pressure', 'memory-pressure', 'pid-pressure', 'unschedulable'].map((k) => ({ key: `node.kubernetes.io/${k}`, operator: 'Exists', effect: 'NoSchedule' })),
  ]
  if (hostNetwork) t.push({ key: 'node.kubernetes.io/network-unavailable', operator: 'Exists', effect: 'NoSchedule' })
  return t
}

export function tolerates(tolerations: Obj[], taint: Obj): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false
    if (t.operator === 'Exists') return !t.key || t.key === taint.key
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '')
  })
}

/** Nodes a DaemonSet's pod fits: its nodeSelector, and every NoSchedule/NoExecute taint tolerated (node affinity is not evaluated). */
export function daemonSetNodes(ds: Obj, nodes: Obj[]): string[] {
  const spec = ds.spec?.template?.spec ?? {}
  const selector: Record<string, string> = spec.nodeSelector ?? {}
  const tolerations = [...(spec.tolerations ?? []), ...daemonTolerations(spec.hostNetwork === true)]
  return nodes.filter((n) => {
    const labels = n.metadata?.labels ?? {}
    if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false
    return (n.spec?.taints ?? []).filter((t: Obj) => t.effect !== 'PreferNoSchedule').every((t: Obj) => tolerates(tolerations, t))
  }).map((n) => String(n.metadata?.name))
}

export function withDaemonSetStatus(ds: Obj, nodes: Obj[]): Obj {
  const desired = daemonSetNodes(ds, nodes).length
  return {
    ...ds,
    status: {
      currentNumberScheduled: 0, desiredNumberScheduled: desired, numberAvailable: 0, numberMisscheduled: 0,
      numberReady: 0, numberUnavailable: desired, observedGeneration: ds.metadata?.generation ?? 1, updatedNumberScheduled: 0,
    },
  }
}
