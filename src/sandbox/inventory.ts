// The inventory a sandbox hands to playbooks: kubespray's group names, one host per node, and
// group_vars telling how to log in (root with the sandbox's key, strict host-key checking).

import { dump } from 'js-yaml'
import { quote } from '../engine/quote.js'
import type { SandboxState } from './state.js'
import { statePaths } from './state.js'

function hostsOf(names: string[]): Record<string, null> {
  return Object.fromEntries(names.map((n) => [n, null]))
}

export function renderHostsYaml(state: SandboxState): string {
  const hosts = Object.fromEntries(state.nodes.map((n) => [n.name, { ansible_host: n.address, ip: n.address, access_ip: n.address }]))
  const inventory = {
    all: {
      hosts,
      children: {
        kube_control_plane: { hosts: hostsOf(state.controlPlanes) },
        etcd: { hosts: hostsOf(state.etcd) },
        kube_node: { hosts: hostsOf(state.workers) },
        calico_rr: { hosts: {} },
        k8s_cluster: { children: { kube_control_plane: null, kube_node: null, calico_rr: null } },
      },
    },
  }
  return `# Written by \`kubeseed sandbox up --name ${state.name}\`; rewritten on every up.\n${dump(inventory, { lineWidth: -1 })}`
}

export function renderGroupVarsAll(state: SandboxState): string {
  const paths = statePaths(state.stateDir)
  const vars = {
    ansible_user: 'root',
    ansible_ssh_private_key_file: paths.privateKey,
    ansible_ssh_common_args: `-o StrictHostKeyChecking=yes -o UserKnownHostsFile=${quote(paths.knownHosts)}`,
    sandbox_name: state.name,
    sandbox_bastion: state.bastion,
    sandbox_known_hosts_file: paths.knownHosts,
    sandbox_deploy_user: state.deployUser,
    sandbox_deploy_password: state.deployPassword,
  }
  return `# Written by \`kubeseed sandbox up --name ${state.name}\`; rewritten on every up.\n${dump(vars, { lineWidth: -1 })}`
}

/** known_hosts lines: each node by name and by address, with the host key the sandbox generated for it. */
export function renderKnownHosts(entries: Array<{ name: string; address: string; publicKey: string }>): string {
  return entries.map((e) => {
    const [type, key] = e.publicKey.trim().split(/\s+/)
    return `${e.name},${e.address} ${type} ${key}\n`
  }).join('')
}
