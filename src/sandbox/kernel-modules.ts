// modprobe inside a node. Nodes share the bastion's kernel; when it has a /lib/modules tree the node sees it
// read-only. A kernel built without loadable modules has none, and modprobe would then fail even for
// features compiled in. A real server with such a kernel lists those in modules.builtin, so the sandbox
// writes that list (from the kernel's own config) for the modules that Kubernetes roles load.

import { existsSync, readFileSync } from 'node:fs'
import { release } from 'node:os'
import { gunzipSync } from 'node:zlib'

/** Module -> [path in modules.builtin, kernel config symbol]. */
const KNOWN_MODULES: Record<string, [string, string]> = {
  br_netfilter: ['kernel/net/bridge/br_netfilter.ko', 'BRIDGE_NETFILTER'],
  bridge: ['kernel/net/bridge/bridge.ko', 'BRIDGE'],
  overlay: ['kernel/fs/overlayfs/overlay.ko', 'OVERLAY_FS'],
  nf_conntrack: ['kernel/net/netfilter/nf_conntrack.ko', 'NF_CONNTRACK'],
  nf_conntrack_netlink: ['kernel/net/netfilter/nf_conntrack_netlink.ko', 'NF_CT_NETLINK'],
  nf_nat: ['kernel/net/netfilter/nf_nat.ko', 'NF_NAT'],
  nf_tables: ['kernel/net/netfilter/nf_tables.ko', 'NF_TABLES'],
  nft_compat: ['kernel/net/netfilter/nft_compat.ko', 'NFT_COMPAT'],
  xt_conntrack: ['kernel/net/netfilter/xt_conntrack.ko', 'NETFILTER_XT_MATCH_CONNTRACK'],
  ip_set: ['kernel/net/netfilter/ipset/ip_set.ko', 'IP_SET'],
  ip_vs: ['kernel/net/netfilter/ipvs/ip_vs.ko', 'IP_VS'],
  ip_vs_rr: ['kernel/net/netfilter/ipvs/ip_vs_rr.ko', 'IP_VS_RR'],
  ip_vs_wrr: ['kernel/net/netfilter/ipvs/ip_vs_wrr.ko', 'IP_VS_WRR'],
  ip_vs_sh: ['kernel/net/netfilter/ipvs/ip_vs_sh.ko', 'IP_VS_SH'],
  ip_tables: ['kernel/net/ipv4/netfilter/ip_tables.ko', 'IP_NF_IPTABLES'],
  iptable_filter: ['kernel/net/ipv4/netfilter/iptable_filter.ko', 'IP_NF_FILTER'],
  iptable_nat: ['kernel/net/ipv4/netfilter/iptable_nat.ko', 'IP_NF_NAT'],
  iptable_mangle: ['kernel/net/ipv4/netfilter/iptable_mangle.ko', 'IP_NF_MANGLE'],
  ip6_tables: ['kernel/net/ipv6/netfilter/ip6_tables.ko', 'IP6_NF_IPTABLES'],
  ipv6: ['kernel/net/ipv6/ipv6.ko', 'IPV6'],
  ipip: ['kernel/net/ipv4/ipip.ko', 'NET_IPIP'],
  vxlan: ['kernel/drivers/net/vxlan/vxlan.ko', 'VXLAN'],
  veth: ['kernel/drivers/net/veth.ko', 'VETH'],
  dummy: ['kernel/drivers/net/dummy.ko', 'DUMMY'],
  wireguard: ['kernel/drivers/net/wireguard/wireguard.ko', 'WIREGUARD'],
}

/** modules.builtin lines for the known modules that `config` (a kernel .config) compiles in. */
export function builtinModuleLines(config: string): string[] {
  const builtIn = new Set(config.split('\n').map((l) => /^CONFIG_(\w+)=y$/.exec(l.trim())?.[1]).filter((s): s is string => s !== undefined))
  return Object.values(KNOWN_MODULES).filter(([, symbol]) => builtIn.has(symbol)).map(([path]) => path)
}

export interface BuiltinModules {
  release: string
  lines: string[]
}

/** What a node needs written when the bastion has no module tree to share; undefined when it has one (or no config to read). */
export function builtinModulesForNodes(): BuiltinModules | undefined {
  const rel = release()
  if (existsSync(`/lib/modules/${rel}`) || !existsSync('/proc/config.gz')) return undefined
  const config = gunzipSync(readFileSync('/proc/config.gz')).toString('utf8')
  return { release: rel, lines: builtinModuleLines(config) }
}
