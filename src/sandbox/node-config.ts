// The text of the files that make an overlay of the shared root filesystem into one particular node.

export interface NodeIdentity {
  name: string
  address: string
  prefix: number
}

export function renderEtcHosts(nodes: Array<{ name: string; address: string }>, bastion: string): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', `${bastion}\tbastion`]
  for (const n of nodes) lines.push(`${n.address}\t${n.name}`)
  return `${lines.join('\n')}\n`
}

/**
 * A static address and no Gateway: the node reaches the bridge subnet only (the air gap).
 * Named 10-*.network so it sorts before the image's own 80-container-host0.network, which would ask for DHCP.
 */
export function renderHost0Network(node: NodeIdentity): string {
  return [
    '[Match]',
    'Name=host0',
    '',
    '[Network]',
    `Address=${node.address}/${node.prefix}`,
    'LinkLocalAddressing=no',
    'IPv6AcceptRA=no',
    '',
  ].join('\n')
}

/** Only the ed25519 host key exists; naming it keeps sshd from complaining about the missing others. */
export function renderSshdHostKeyConfig(): string {
  return 'HostKey /etc/ssh/ssh_host_ed25519_key\n'
}
