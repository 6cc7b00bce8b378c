// The kubelet's Ready condition: the runtime answers, its conditions hold, and a CNI network
// config exists in /etc/cni/net.d (where containerd's CRI plugin looks by default).
import { readdirSync } from 'node:fs'
import { hostPath } from '../host/paths.js'

export interface RuntimeCondition {
  type: string
  status: boolean
  reason: string
  message: string
}

export interface Readiness {
  ready: boolean
  reason: 'KubeletReady' | 'KubeletNotReady'
  message: string
}

export const CNI_CONF_DIR = '/etc/cni/net.d'

/** The files libcni loads from a conf dir: *.conf, *.conflist and *.json. */
export function cniConfigFiles(dir = CNI_CONF_DIR): string[] {
  try {
    return readdirSync(hostPath(dir)).filter((f) => /\.(conf|conflist|json)$/.test(f)).sort()
  } catch {
    return []
  }
}

/** Pure: the Ready condition from what the runtime said (or why it did not answer) and the CNI files found. */
export function nodeReadiness(runtime: { down?: string; conditions: RuntimeCondition[] }, cniConfigs: string[]): Readiness {
  if (runtime.down) return { ready: false, reason: 'KubeletNotReady', message: `container runtime is down: ${runtime.down}` }
  const conditions = runtime.conditions.map((c) => (c.type === 'NetworkReady' && c.status && cniConfigs.length === 0
    ? { ...c, status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: cni plugin not initialized' }
    : c))
  if (!conditions.some((c) => c.type === 'NetworkReady') && cniConfigs.length === 0) {
    conditions.push({ type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: cni plugin not initialized' })
  }
  const failing = conditions.filter((c) => !c.status)
  if (runtime.conditions.length === 0) return { ready: false, reason: 'KubeletNotReady', message: 'container runtime status check may not have completed yet' }
  if (failing.length === 0) return { ready: true, reason: 'KubeletReady', message: 'kubelet is posting ready status' }
  const message = failing
    .map((c) => `container runtime ${c.type === 'NetworkReady' ? 'network ' : ''}not ready: ${c.type}=false reason:${c.reason} message:${c.message}`)
    .join(', ')
  return { ready: false, reason: 'KubeletNotReady', message }
}
