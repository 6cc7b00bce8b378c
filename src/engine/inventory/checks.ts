// Sanity checks of a kubespray-style inventory that catch mistakes before any host is touched.
import { cidrOverlap, parseCidr } from '../ip-address.js'
import type { Inventory } from './model.js'

export interface InventoryFinding {
  level: 'error' | 'warning'
  message: string
}

type ValueOf = (host: string, varName: string) => unknown

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

function checkDuplicates(inv: Inventory, value: ValueOf): InventoryFinding[] {
  const findings: InventoryFinding[] = []
  const seen = { ip: new Map<string, string>(), ansible_host: new Map<string, string>() }
  for (const host of inv.hosts.keys()) {
    const ip = read(value, host, 'ip')
    if (present(ip)) {
      const other = seen.ip.get(String(ip))
      if (other) findings.push({ level: 'error', message: `hosts '${other}' and '${host}' have the same ip ${ip}: give each host its own ip` })
      else seen.ip.set(String(ip), host)
    }
    const addr = read(value, host, 'ansible_host')
    if (present(addr)) {
      // one address with different ports is fine (hosts behind a forwarding bastion)
      const port = read(value, host, 'ansible_port')
      const key = `${addr}:${present(port) ? port : 22}`
      const other = seen.ansible_host.get(key)
      if (other) {
        findings.push({ level: 'error', message: `hosts '${other}' and '${host}' have the same ansible_host ${addr}${present(port) ? ` and port ${port}` : ''}: each host needs its own address` })
      } else seen.ansible_host.set(key, host)
    }
  }
  return findings
}

const CIDR_PAIRS: [string, string][] = [
  ['kube_service_addresses', 'kube_pods_subnet'],
  ['kube_service_addresses_ipv6', 'kube_pods_subnet_ipv6'],
]

function checkCidrs(inv: Inventory, value: ValueOf): InventoryFinding[] {
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
      if (typeof svc !== 'string' || typeof pod !== 'string') continue
      const a = parseCidr(svc)
      const b = parseCidr(pod)
      for (const [name, text, parsed] of [[svcVar, svc, a], [podVar, pod, b]] as const) {
        if (!parsed) report(`${name}=${text}`, { level: 'error', message: `${name} '${text}' (host '${host}') is not a CIDR like 10.233.0.0/18: fix the value` })
      }
      if (a && b && cidrOverlap(a, b)) {
        report(`${svcVar}=${svc} ${podVar}=${pod}`, { level: 'error', message: `${svcVar} ${svc} overlaps ${podVar} ${pod} (host '${host}'): choose ranges that do not overlap` })
      }
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

export function checkInventory(inv: Inventory, value: ValueOf): InventoryFinding[] {
  return [...checkEtcd(inv), ...checkDuplicates(inv, value), ...checkCidrs(inv, value), ...checkClusterMembership(inv)]
}
