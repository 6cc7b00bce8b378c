// The Eviction subresource with PodDisruptionBudgets, as the API server's eviction REST does: a Pod covered by a
// budget that allows no disruption is refused with 429. No disruption controller runs here and no Pod ever
// becomes Ready, so a budget's healthy count is that of matching Pods whose Ready condition is True (none unless
// a client posted that status): a budget asking for any available Pod blocks eviction, as it does for real
// when its Pods are not running (unhealthyPodEvictionPolicy IfHealthyBudget, the default).

import type { KubeObject } from './store.js'

interface LabelSelector {
  matchLabels?: Record<string, string>
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>
}

export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels
    const inValues = has && (e.values ?? []).includes(labels[e.key]!)
    if (e.operator === 'In' && !inValues) return false
    if (e.operator === 'NotIn' && inValues) return false
    if (e.operator === 'Exists' && !has) return false
    if (e.operator === 'DoesNotExist' && has) return false
  }
  return true
}

const ready = (p: KubeObject) => ((p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
  .some((c) => c.type === 'Ready' && c.status === 'True')

/** kubeadm's intstr: an int, or "N%" of `total` (minAvailable rounds up, maxUnavailable up too, as the controller does). */
function count(v: unknown, total: number): number {
  if (typeof v === 'number') return v
  const m = /^(\d+)%$/.exec(String(v))
  return m ? Math.ceil((Number(m[1]) * total) / 100) : Number(v)
}

/** Why evicting `pod` is refused, or undefined when a budget allows it (or none covers it). */
export function evictionRefusal(pod: KubeObject, budgets: KubeObject[], podsInNamespace: KubeObject[]): string | undefined {
  const labels = (pod.metadata?.labels ?? {}) as Record<string, string>
  const covering = budgets.filter((b) => selectorMatches((b.spec as { selector?: LabelSelector } | undefined)?.selector, labels))
  if (covering.length > 1) return 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.'
  const budget = covering[0]
  if (!budget) return undefined
  const spec = budget.spec as { selector?: LabelSelector; minAvailable?: unknown; maxUnavailable?: unknown }
  const matching = podsInNamespace.filter((p) => selectorMatches(spec.selector, (p.metadata?.labels ?? {}) as Record<string, string>))
  const expected = matching.length
  const healthy = matching.filter(ready).length
  const desired = spec.minAvailable !== undefined ? count(spec.minAvailable, expected)
    : spec.maxUnavailable !== undefined ? Math.max(0, expected - count(spec.maxUnavailable, expected)) : 1
  if (!ready(pod) && healthy >= desired) return undefined
  if (healthy - desired > 0) return undefined
  return 'Cannot evict pod as it would violate the pod\'s disruption budget.'
}
