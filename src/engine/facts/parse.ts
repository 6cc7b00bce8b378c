// Facts text -> Ansible-style facts (`ansible_facts.X`, also injected as `ansible_X`), plus kubeseed's own.

import type { Facts } from '../task.js'

function sections(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  let cur: string[] | undefined
  for (const line of text.split('\n')) {
    const m = line.match(/^@@ks-facts (\S+)$/)
    if (m) {
      cur = []
      out.set(m[1], cur)
    } else if (cur && line !== '') cur.push(line)
  }
  return out
}

const ARCH: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', ppc64le: 'ppc64le', s390x: 's390x' }

const OS_FAMILY: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Debian', rhel: 'RedHat', centos: 'RedHat', rocky: 'RedHat', almalinux: 'RedHat',
  fedora: 'RedHat', ol: 'RedHat', amzn: 'RedHat', opensuse: 'Suse', sles: 'Suse', flatcar: 'Flatcar',
}

const DISTRIBUTION: Record<string, string> = {
  debian: 'Debian', ubuntu: 'Ubuntu', rhel: 'RedHat', centos: 'CentOS', rocky: 'Rocky', almalinux: 'AlmaLinux',
  fedora: 'Fedora', ol: 'OracleLinux', amzn: 'Amazon',
}

function kv(lines: string[]): Record<string, string> {
  const o: Record<string, string> = {}
  for (const l of lines) {
    const m = l.match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/)
    if (m) o[m[1]] = m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1')
  }
  return o
}

function meminfo(lines: string[]): Record<string, number> {
  const o: Record<string, number> = {}
  for (const l of lines) {
    const m = l.match(/^(\w+):\s+(\d+)/)
    if (m) o[m[1]] = Number(m[2])
  }
  return o
}

interface Addr { address: string; prefix: number; interface: string }

function addrs(lines: string[], family: 4 | 6): Addr[] {
  const out: Addr[] = []
  for (const l of lines) {
    const m = l.match(family === 4 ? /^\d+:\s+(\S+)\s+inet\s+([\d.]+)\/(\d+)/ : /^\d+:\s+(\S+)\s+inet6\s+([0-9a-f:]+)\/(\d+)/)
    if (m) out.push({ interface: m[1].replace(/@.*/, ''), address: m[2], prefix: Number(m[3]) })
  }
  return out
}

function versionOf(line: string | undefined): string | undefined {
  const m = line?.match(/v?(\d+\.\d+\.\d+(?:[-+][\w.]+)?)/)
  return m ? m[1] : undefined
}

/** Each tool's version, from `name <its --version output>` lines. */
function installedVersions(lines: string[]): Record<string, string> {
  const versions: Record<string, string> = {}
  for (const l of lines) {
    const [name, ...rest] = l.split(' ')
    const v = versionOf(rest.join(' '))
    if (v) versions[name] = v
  }
  return versions
}

/** The address of the default route's interface, per family, and every address but loopback's. */
function addressFacts(get: (section: string) => string[]) {
  const v4 = addrs(get('addr4'), 4)
  const v6 = addrs(get('addr6'), 6)
  const dev4 = get('route4')[0]?.match(/dev (\S+)/)?.[1]
  const def4 = (dev4 && v4.find((a) => a.interface === dev4)) || v4.find((a) => a.interface !== 'lo')
  const dev6 = get('route6')[0]?.match(/dev (\S+)/)?.[1]
  const def6 = (dev6 && v6.find((a) => a.interface === dev6)) || v6[0]
  return {
    default_ipv4: def4 ? { address: def4.address, prefix: String(def4.prefix), interface: def4.interface } : {},
    default_ipv6: def6 ? { address: def6.address, prefix: String(def6.prefix), interface: def6.interface } : {},
    all_ipv4_addresses: v4.filter((a) => a.interface !== 'lo').map((a) => a.address),
    all_ipv6_addresses: v6.map((a) => a.address),
  }
}

export function parseFacts(text: string): Facts {
  const s = sections(text)
  const get = (k: string) => s.get(k) ?? []
  const os = kv(get('os_release'))
  const [machine = '', kernel = '', system = 'Linux', nodename = ''] = get('uname')
  const id = (os.ID ?? '').toLowerCase()
  const mem = meminfo(get('meminfo'))
  const tools = new Set(get('tools'))
  const [comm = '', running] = get('init')
  const net = addressFacts(get)
  const roles = get('kubeadm_node')
  const swapTotal = mem.SwapTotal ?? 0
  const swapOn = get('swaps').length > 1
  const pkgMgr = tools.has('apt-get') ? 'apt' : tools.has('dnf') ? 'dnf' : tools.has('yum') ? 'yum' : 'unknown'
  const fqdn = get('hostname_f')[0] ?? nodename
  const [userId = '', uid = ''] = get('user')
  const facts: Facts = {
    system,
    kernel,
    architecture: machine,
    machine,
    hostname: nodename.split('.')[0],
    nodename,
    fqdn,
    distribution: DISTRIBUTION[id] ?? (os.NAME ?? id),
    distribution_version: os.VERSION_ID ?? '',
    distribution_major_version: (os.VERSION_ID ?? '').split('.')[0],
    distribution_release: os.VERSION_CODENAME ?? '',
    os_family: OS_FAMILY[id] ?? OS_FAMILY[(os.ID_LIKE ?? '').split(' ')[0]] ?? 'Unknown',
    pkg_mgr: pkgMgr,
    service_mgr: comm === 'systemd' || running === 'systemd-running' ? 'systemd' : comm || 'unknown',
    memtotal_mb: Math.floor((mem.MemTotal ?? 0) / 1024),
    memfree_mb: Math.floor((mem.MemAvailable ?? mem.MemFree ?? 0) / 1024),
    swaptotal_mb: Math.floor(swapTotal / 1024),
    processor_vcpus: Number(get('cpus')[0] ?? 1),
    default_ipv4: net.default_ipv4,
    default_ipv6: net.default_ipv6,
    all_ipv4_addresses: net.all_ipv4_addresses,
    all_ipv6_addresses: net.all_ipv6_addresses,
    user_id: userId,
    user_uid: Number(uid),
    // kubeseed's own facts
    ks_swap_on: swapOn,
    ks_systemd_running: running === 'systemd-running',
    ks_tools: [...tools].sort(),
    ks_downloader: tools.has('curl') ? 'curl' : tools.has('wget') ? 'wget' : 'none',
    ks_installed: installedVersions(get('versions')),
    ks_kubeadm_node: roles.includes('control-plane') ? 'control-plane' : roles.includes('node') ? 'worker' : 'none',
    host_architecture: ARCH[machine] ?? machine,
  }
  return facts
}

/** Vars a host's facts contribute: `ansible_facts` and, as Ansible injects them, `ansible_<name>`. */
export function factVars(facts: Facts): Record<string, unknown> {
  const vars: Record<string, unknown> = { ansible_facts: facts }
  for (const [k, v] of Object.entries(facts)) {
    if (k.startsWith('ks_') || k === 'host_architecture') vars[k] = v
    else vars[`ansible_${k}`] = v
  }
  return vars
}
