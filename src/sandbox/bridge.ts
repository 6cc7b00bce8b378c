// The sandbox's private bridge. The bastion holds .1 on it; nothing is routed or NATed beyond it,
// which is what makes the nodes air-gapped: they have no default route and the bastion does not forward.

import { existsSync, readFileSync } from 'node:fs'
import { run, runAny } from './host-command.js'
import { SandboxError } from './sandbox-error.js'
import { contains } from './subnet.js'
import type { Subnet } from './subnet.js'

export function linkExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`)
}

export async function ensureBridge(bridge: string, bastion: string, prefix: number): Promise<void> {
  if (!linkExists(bridge)) await run('ip', ['link', 'add', bridge, 'type', 'bridge'])
  const addrs = JSON.parse(await run('ip', ['-j', 'addr', 'show', 'dev', bridge])) as Array<{ addr_info?: Array<{ family: string; local: string; prefixlen: number }> }>
  const has = (addrs[0]?.addr_info ?? []).some((a) => a.family === 'inet' && a.local === bastion && a.prefixlen === prefix)
  if (!has) await run('ip', ['addr', 'add', `${bastion}/${prefix}`, 'dev', bridge])
  await run('ip', ['link', 'set', bridge, 'up'])
}

/** Another interface with an address in the subnet would take the nodes' traffic (or give them a way out). */
export async function assertSubnetFree(bridge: string, subnet: Subnet): Promise<void> {
  const links = JSON.parse(await run('ip', ['-j', '-4', 'addr', 'show'])) as Array<{ ifname: string; addr_info?: Array<{ local: string }> }>
  for (const link of links) {
    if (link.ifname === bridge) continue
    const clash = (link.addr_info ?? []).find((a) => contains(subnet, a.local))
    if (clash) {
      throw new SandboxError(`subnet ${subnet.cidr} is already used by ${link.ifname} (${clash.local})`, undefined,
        'choose another --subnet for this sandbox')
    }
  }
}

/** Interfaces enslaved to the bridge: the host ends of the nodes' veth pairs. */
export async function bridgePorts(bridge: string): Promise<string[]> {
  if (!linkExists(bridge)) return []
  const links = JSON.parse(await run('ip', ['-j', 'link', 'show', 'master', bridge])) as Array<{ ifname: string }>
  return links.map((l) => l.ifname)
}

/** Links whose names start with `prefix`, e.g. every `ks-` bridge. */
export async function linksNamed(prefix: string): Promise<string[]> {
  const links = JSON.parse(await run('ip', ['-j', 'link', 'show'])) as Array<{ ifname: string }>
  return links.map((l) => l.ifname).filter((n) => n.startsWith(prefix))
}

export async function deleteBridge(bridge: string): Promise<void> {
  for (const port of await bridgePorts(bridge)) await runAny('ip', ['link', 'del', port])
  if (linkExists(bridge)) await run('ip', ['link', 'del', bridge])
}

export function ipForwarding(): string {
  return readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()
}

/**
 * NAT rules (nftables or iptables) that mention the bridge or the subnet. Any such rule would let
 * nodes' traffic out under the bastion's address, so `up` refuses to go on while one exists.
 */
export async function natRulesTouching(bridge: string, subnetCidr: string): Promise<string[]> {
  const texts: string[] = []
  const nft = await runAny('nft', ['list', 'ruleset']).catch(() => undefined)
  if (nft?.code === 0) texts.push(nft.stdout)
  const ipt = await runAny('iptables-save', ['-t', 'nat']).catch(() => undefined)
  if (ipt?.code === 0) texts.push(ipt.stdout)
  const network = subnetCidr.split('/')[0]
  return texts.join('\n').split('\n')
    .filter((l) => /masquerade|snat|dnat/i.test(l))
    .filter((l) => l.includes(bridge) || l.includes(network))
    .map((l) => l.trim())
}

export async function assertNoNat(bridge: string, subnetCidr: string): Promise<void> {
  const rules = await natRulesTouching(bridge, subnetCidr)
  if (rules.length > 0) {
    throw new SandboxError(`NAT rules cover the sandbox bridge ${bridge} (${subnetCidr}): ${rules.join(' | ')}`, undefined,
      'the nodes must stay air-gapped: delete those rules or choose another --subnet')
  }
}
