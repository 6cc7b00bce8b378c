// kubeadm's own feature gates (cmd/kubeadm/app/features/features.go) per minor, and the two ways
// kubeadm refuses a gate: the --feature-gates flag parser and ClusterConfiguration validation.
import { EmulatedFailure } from '../failure.js'

interface GateHistory {
  /** First minor that knows the gate. */
  since: number
  /** Last minor that knows it (absent: still known by the newest emulated minor). */
  until?: number
  /** Minors in which the gate is Deprecated: known, but refused ("feature-gate key is deprecated"). */
  deprecated?: [number, number]
}

// Transcribed from kubeadm's features.go of each release (godocs for v1.29.4, v1.30.9,
// v1.33.0-alpha.0, v1.34.0-rc.0; the v1.35 kubeadm reference's --feature-gates list) and
// kubernetes PR 136016 (v1beta3 and PublicKeysECDSA removed after 1.36).
const GATES: Record<string, GateHistory> = {
  PublicKeysECDSA: { since: 19, until: 36, deprecated: [29, 36] },
  RootlessControlPlane: { since: 22 },
  EtcdLearnerMode: { since: 27, until: 32 },
  UpgradeAddonsBeforeControlPlane: { since: 28, until: 30, deprecated: [28, 30] },
  WaitForAllControlPlaneComponents: { since: 30, until: 34 },
  ControlPlaneKubeletLocalMode: { since: 31 },
  NodeLocalCRISocket: { since: 32 },
}

function known(name: string, minor: number): GateHistory | undefined {
  const g = Object.hasOwn(GATES, name) ? GATES[name] : undefined
  return g && minor >= g.since && (g.until === undefined || minor <= g.until) ? g : undefined
}

function isDeprecated(g: GateHistory, minor: number): boolean {
  return g.deprecated !== undefined && minor >= g.deprecated[0] && minor <= g.deprecated[1]
}

/** Gate names a kubeadm of `minor` accepts (features.Supports: known and not deprecated). */
export function supportedFeatureGates(minor: number): string[] {
  return Object.keys(GATES).filter((n) => {
    const g = known(n, minor)
    return g !== undefined && !isDeprecated(g, minor)
  })
}

const GO_TRUE = ['1', 't', 'T', 'TRUE', 'true', 'True']
const GO_FALSE = ['0', 'f', 'F', 'FALSE', 'false', 'False']

/** features.NewFeatureGate: the --feature-gates flag value "k1=v1,k2=v2". */
export function parseFeatureGatesFlag(value: string, minor: number): Record<string, boolean> {
  const out: Record<string, boolean> = {}
  for (const item of value.split(',')) {
    if (item === '') continue
    const eq = item.indexOf('=')
    if (eq < 0) throw new EmulatedFailure(`missing bool value for feature-gate key:${item}`)
    const k = item.slice(0, eq).trim()
    const v = item.slice(eq + 1).trim()
    const g = known(k, minor)
    if (!g) throw new EmulatedFailure(`unrecognized feature-gate key: ${k}`)
    if (isDeprecated(g, minor)) throw new EmulatedFailure(`feature-gate key is deprecated: ${k}`)
    if (!GO_TRUE.includes(v) && !GO_FALSE.includes(v)) throw new EmulatedFailure(`invalid value ${v} for feature-gate key: ${k}, use true|false instead`)
    out[k] = GO_TRUE.includes(v)
  }
  return out
}

/** Go's %#v of a map[string]bool: keys sorted. */
function goMap(m: Record<string, boolean>): string {
  return `map[string]bool{${Object.keys(m).sort().map((k) => `"${k}":${m[k]}`).join(', ')}}`
}

/** ValidateFeatureGates: one field error per gate the kubeadm of `minor` does not support. */
export function featureGateErrors(gates: Record<string, unknown>, minor: number): string[] {
  const supported = new Set(supportedFeatureGates(minor))
  const asBools = Object.fromEntries(Object.entries(gates).map(([k, v]) => [k, v === true]))
  return Object.keys(gates).sort().filter((k) => !supported.has(k))
    .map((k) => `featureGates: Invalid value: ${goMap(asBools)}: ${k} is not a valid feature name.`)
}
