// How a run reaches each host: its Ansible connection variables (with the command line's defaults),
// kubespray's bastion group as jump host, and the known_hosts files the user and the inventory name.
// One pool of connections for the whole run.
//
// Trusted host keys come from --known-hosts, the files the inventory names (ansible_ssh_common_args
// UserKnownHostsFile=...) and ~/.ssh/known_hosts, in that order; a key accepted with --accept-new-host-keys
// goes to the first of them that is writable. A known_hosts file merely lying beside the inventory is never
// read: anyone who can write that directory (/tmp) could plant keys there.

import { addressFromVars, CONNECTION_VARS, knownHostsFromSshArgs } from './address-from-vars.js'
import { ConnectionPool } from './pool.js'
import type { Connection } from './types.js'

/** What the connector reads from the inventory: hosts' own variables and the bastion group. */
export interface HostsView {
  hosts: ReadonlyMap<string, unknown>
  groups: ReadonlyMap<string, unknown>
  hostVars(host: string): Record<string, unknown>
  groupHosts(group: string): string[]
}

export interface ConnectorOptions {
  inventories: string[]
  acceptNewHostKeys: boolean
  knownHostsFiles: string[]
  /** Command-line defaults for hosts whose inventory does not say (-u, --private-key, -k). */
  remoteUser?: string
  privateKeyFile?: string
  sshPassword?: string
}

/** known_hosts files the inventory names in ansible_ssh_common_args (-o UserKnownHostsFile=...). */
function inventoryKnownHosts(inv: HostsView): string[] {
  const files = new Set<string>()
  for (const h of inv.hosts.keys()) {
    const vars = inv.hostVars(h)
    for (const k of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
      const v = vars[k]
      if (typeof v === 'string' && !v.includes('{{')) for (const f of knownHostsFromSshArgs(v, h)) files.add(f)
    }
  }
  return [...files]
}

/** A host's connection variables, the command line's values filling what the inventory leaves unset. */
export function connectionVars(vars: (name: string) => unknown, cli: Pick<ConnectorOptions, 'remoteUser' | 'privateKeyFile' | 'sshPassword'>): Record<string, unknown> {
  const hv: Record<string, unknown> = {}
  for (const n of CONNECTION_VARS) { const v = vars(n); if (v !== undefined) hv[n] = v }
  // Under each setting's last alias: any name the inventory sets wins.
  hv.ansible_remote_user ??= cli.remoteUser
  hv.ansible_private_key_file ??= cli.privateKeyFile
  hv.ansible_ssh_password ??= cli.sshPassword
  return hv
}

export class HostConnector {
  private readonly pool: ConnectionPool

  constructor(private readonly inv: HostsView, private readonly o: ConnectorOptions) {
    this.pool = new ConnectionPool({
      acceptNewHostKeys: o.acceptNewHostKeys,
      knownHostsFiles: [...new Set([...o.knownHostsFiles, ...inventoryKnownHosts(inv)])],
    })
  }

  /** `vars` reads the host's variables as the play sees them. */
  async connect(host: string, vars: (name: string) => unknown): Promise<Connection> {
    const hv = connectionVars(vars, this.o)
    const bastions = this.inv.groups.has('bastion') ? this.inv.groupHosts('bastion').filter((b) => b !== host) : []
    const bastion = bastions.length ? { name: bastions[0]!, vars: this.inv.hostVars(bastions[0]!) } : undefined
    return this.pool.get(addressFromVars(host, hv, bastion))
  }

  closeAll(): Promise<void> {
    return this.pool.closeAll()
  }
}
