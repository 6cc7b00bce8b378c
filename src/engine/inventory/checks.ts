// Sanity checks of a kubespray-style inventory that catch mistakes before any host is touched.
import { cidrOverlap, parseCidr } from '../ip-address.js'
import { KUBESPRAY_VALUE_RULES, valueProblem } from './kubespray-values.js'
import type { Inventory } from './model.js'

export interface InventoryFinding {
  level: 'error' | 'warning'
  message: string
}

type ValueOf = (host: string, varName: string) => unknown
/** Where a host's variable is set, as "file:line" (undefined when unknown). */
type OriginOf = (host: string, varName: string) => string | undefined

/** The value, or undefined when it is unset or cannot be evaluated. */
function read(value: ValueOf, host: string, name: string): unknown {
  try {
    return value(host, name)
  } catch {
    return undefined
  }
}

const present = (v: unknown): v is string | number => (typeof v === 'string' && v !== '') || typeof v === 'number'

function checkEtcd(inv: Inventory): InventoryFinding[] {
  if (!inv.groups.has('etcd')) return []
  const n = inv.groupHosts('etcd').length
  if (n === 0) {
    return [{ level: 'error', message: "group 'etcd' has no hosts: put 1, 3 or 5 hosts in it (often [etcd:children] kube_control_plane)" }]
  }
  if (n % 2 === 0) {
    return [{ level: 'warning', message: `group 'etcd' has ${n} hosts: an even member count tolerates no more failures than ${n - 1}; use an odd number` }]
  }
  return []
}

function at(origin: OriginOf | undefined, host: string, name: string): string {
  const o = origin?.(host, name)
  return o ? `${o}: ` : ''
}

/** A repeated address: the first pair found, then only how many more hosts repeat one (a copied block can repeat hundreds). */
interface Repeats { first?: { what: string; fix: string }; more: number }

function reportRepeats(r: Repeats, kind: string): InventoryFinding[] {
  if (!r.first) return []
  const more = r.more ? ` (and ${r.more} more host${r.more === 1 ? '' : 's'} repeating ${kind} of another host)` : ''
  return [{ level: 'error', message: `${r.first.what}${more}: ${r.first.fix}` }]
}

function checkDuplicates(inv: Inventory, value: ValueOf, origin?: OriginOf): InventoryFinding[] {
  const seen = { ip: new Map<string, string>(), ansible_host: new Map<string, string>() }
  const repeated: { ip: Repeats; ansible_host: Repeats } = { ip: { more: 0 }, ansible_host: { more: 0 } }
  const note = (r: Repeats, first: () => Repeats['first']) => { if (r.first) r.more++; else r.first = first() }
  for (const host of inv.hosts.keys()) {
    const ip = read(value, host, 'ip')
    if (present(ip)) {
      const other = seen.ip.get(String(ip))
      if (other) note(repeated.ip, () => ({ what: `${at(origin, host, 'ip')}hosts '${other}' and '${host}' have the same ip ${ip}`, fix: 'give each host its own ip' }))
      else seen.ip.set(String(ip), host)
    }
    const addr = read(value, host, 'ansible_host')
    if (present(addr)) {
      // one address with different ports is fine (hosts behind a forwarding bastion)
      const port = read(value, host, 'ansible_port')
      const key = `${addr}:${present(port) ? port : 22}`
      const other = seen.ansible_host.get(key)
      if (other) {
        note(repeated.ansible_host, () => ({
          what: `${at(origin, host, 'ansible_port')}hosts '${other}' and '${host}' have the same ansible_host ${addr}${present(port) ? ` and port ${port}` : ''}`,
          fix: 'each host needs its own address',
        }))
      } else seen.ansible_host.set(key, host)
    }
  }
  return [...reportRepeats(repeated.ip, 'an ip'), ...reportRepeats(repeated.ansible_host, 'an ansible_host')]
}

const CIDR_PAIRS: [string, string][] = [
  ['kube_service_addresses', 'kube_pods_subnet'],
  ['kube_service_addresses_ipv6', 'kube_pods_subnet_ipv6'],
]

function checkCidrs(inv: Inventory, value: ValueOf, origin?: OriginOf): InventoryFinding[] {
  const findings: InventoryFinding[] = []
  // the ranges are usually set once for the whole cluster: report each distinct problem once
  const reported = new Set<string>()
  const report = (key: string, f: InventoryFinding): void => {
    if (!reported.has(key)) {
      reported.add(key)
      findings.push(f)
    }
  }
  const hosts = inv.groups.has('k8s_cluster') ? inv.groupHosts('k8s_cluster') : [...inv.hosts.keys()]
  for (const host of hosts) {
    for (const [svcVar, podVar] of CIDR_PAIRS) {
      const svc = read(value, host, svcVar)
      const pod = read(value, host, podVar)
      const a = typeof svc === 'string' ? parseCidr(svc) : undefined
      const b = typeof pod === 'string' ? parseCidr(pod) : undefined
      for (const [name, text, parsed] of [[svcVar, svc, a], [podVar, pod, b]] as const) {
        if (typeof text === 'string' && !parsed) {
          report(`${name}=${text}`, { level: 'error', message: `${at(origin, host, name)}${name} '${text}' (host '${host}') is not a CIDR like 10.233.0.0/18: fix the value` })
        }
      }
      if (a && b && cidrOverlap(a, b)) {
        report(`${svcVar}=${svc} ${podVar}=${pod}`, { level: 'error', message: `${at(origin, host, podVar)}${svcVar} ${svc} overlaps ${podVar} ${pod} (host '${host}'): choose ranges that do not overlap` })
      }
    }
  }
  return findings
}

/** kubespray variables of the wrong type or form, and (when the caller knows them) unsupported releases. */
function checkValues(inv: Inventory, value: ValueOf, origin?: OriginOf, kubeVersionProblem?: (v: string) => string | undefined): InventoryFinding[] {
  const findings: InventoryFinding[] = []
  const reported = new Set<string>()
  const hosts = inv.groups.has('k8s_cluster') ? inv.groupHosts('k8s_cluster') : [...inv.hosts.keys()]
  for (const host of hosts) {
    for (const name of Object.keys(KUBESPRAY_VALUE_RULES)) {
      const v = read(value, host, name)
      const key = `${name}=${JSON.stringify(v)}`
      if (reported.has(key)) continue
      const expected = valueProblem(name, v)
      const unsupported = !expected && name === 'kube_version' && typeof v === 'string' ? kubeVersionProblem?.(v) : undefined
      if (!expected && !unsupported) continue
      reported.add(key)
      findings.push({ level: 'error', message: expected
        ? `${at(origin, host, name)}${name} is ${JSON.stringify(v)} (host '${host}'), expected ${expected}: fix the value`
        : `${at(origin, host, name)}kube_version ${v} (host '${host}'): ${unsupported}` })
    }
  }
  return findings
}

function checkClusterMembership(inv: Inventory): InventoryFinding[] {
  const findings: InventoryFinding[] = []
  const cluster = new Set(inv.groups.has('k8s_cluster') ? inv.groupHosts('k8s_cluster') : [])
  for (const group of ['kube_control_plane', 'kube_node']) {
    if (!inv.groups.has(group)) continue
    for (const host of inv.groupHosts(group)) {
      if (!cluster.has(host)) {
        findings.push({ level: 'error', message: `host '${host}' is in ${group} but not in k8s_cluster: list ${group} under [k8s_cluster:children]` })
      }
    }
  }
  return findings
}

export interface CheckOptions {
  origin?: OriginOf
  /** Why a well-formed kube_version cannot be installed (not in the offline manifest), if it cannot. */
  kubeVersionProblem?: (version: string) => string | undefined
}

export function checkInventory(inv: Inventory, value: ValueOf, opts: CheckOptions = {}): InventoryFinding[] {
  return [...checkEtcd(inv), ...checkDuplicates(inv, value, opts.origin), ...checkCidrs(inv, value, opts.origin),
    ...checkValues(inv, value, opts.origin, opts.kubeVersionProblem), ...checkClusterMembership(inv)]
}
