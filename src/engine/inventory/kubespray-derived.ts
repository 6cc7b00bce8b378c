// Values kubeseed derives itself, because kubespray computes them in role defaults that an
// inventory only references (e.g. kube_service_subnets). When the inventory's value for one of
// these is an expression, kubeseed uses its own derivation and warns once per variable per run;
// a plain value the user wrote is always kept.
import { cidrHost, isTemplated, messageWithoutHint, pyEquals } from '../expr/index.js'
import { parseIp } from '../ip-address.js'
import type { ScopeLayer } from '../vars/layer.js'
import type { VarScope } from '../vars/scope.js'

interface Derivation {
  name: string
  /** How kubeseed computes the value, for the warning. */
  how: string
  derive(scope: VarScope): unknown
}

function tryGet(scope: VarScope, name: string): unknown {
  try {
    return scope.has(name) ? scope.get(name) : undefined
  } catch {
    return undefined
  }
}

/** The first service CIDR: kube_service_subnets if it renders, else kube_service_addresses. */
function firstServiceCidr(scope: VarScope): string | undefined {
  for (const name of ['kube_service_subnets', 'kube_service_addresses']) {
    const v = tryGet(scope, name)
    const first = typeof v === 'string' ? v.split(',')[0]!.trim() : undefined
    if (first && parseIp(first)?.hasPrefix) return first
  }
  return undefined
}

function nthServiceAddress(n: number) {
  return (scope: VarScope): unknown => {
    const cidr = firstServiceCidr(scope)
    return cidr === undefined ? undefined : cidrHost(cidr, n)
  }
}

const DERIVATIONS: Derivation[] = [
  { name: 'kube_apiserver_ip', how: 'the 1st host of the first service CIDR', derive: nthServiceAddress(1) },
  { name: 'skydns_server', how: 'the 3rd host of the first service CIDR', derive: nthServiceAddress(3) },
  { name: 'skydns_server_secondary', how: 'the 4th host of the first service CIDR', derive: nthServiceAddress(4) },
  { name: 'dns_domain', how: 'cluster_name', derive: (s) => tryGet(s, 'cluster_name') ?? 'cluster.local' },
]

export const DERIVED_NAMES: readonly string[] = DERIVATIONS.map((d) => d.name)

export interface DerivedVars {
  /** Put on top of the inventory layers: `scope.child(layer)`. Empty when nothing applies. */
  layer: ScopeLayer
  /** One line per variable whose inventory expression was replaced (and not yet warned in `seen`). */
  warnings: string[]
}

/**
 * @param seen names already warned about in this run; updated here so each warning appears once.
 * @param judge the scope the inventory's expression is tried in: the inventory over the role defaults a
 *   play has (kubespray_defaults), so only an expression that fails there too is warned about.
 */
export function deriveKubesprayVars(scope: VarScope, seen: Set<string> = new Set(), judge: VarScope = scope): DerivedVars {
  const vars: Record<string, unknown> = {}
  const warnings: string[] = []
  for (const d of DERIVATIONS) {
    const raw = scope.raw(d.name)
    const userPinned = raw !== undefined && !(typeof raw.value === 'string' && isTemplated(raw.value))
    if (userPinned) continue
    const value = d.derive(scope)
    if (value === undefined) continue
    vars[d.name] = value
    if (!raw || seen.has(d.name)) continue
    let problem: string | undefined
    try {
      const theirs = judge.get(d.name)
      if (!pyEquals(theirs, value)) problem = `evaluates to ${JSON.stringify(theirs)}`
    } catch (e) {
      problem = `cannot be evaluated by kubeseed (${e instanceof Error ? messageWithoutHint(e) : String(e)})`
    }
    if (!problem) continue
    seen.add(d.name)
    const at = raw.line ? `${raw.source}:${raw.line}` : raw.source
    warnings.push(`${at}: ${d.name} ${problem}; kubeseed uses ${JSON.stringify(value)}, ${d.how} (set a plain value to choose another)`)
  }
  return { layer: { source: 'derived by kubeseed', vars, literal: true }, warnings }
}
