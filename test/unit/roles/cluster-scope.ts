// Scopes for every host of a cluster, as the runner builds them: role defaults, then the host's inventory
// values, with `hostvars[other]` reading the other host's scope (so derived defaults such as main_access_ip
// resolve for other hosts too, as they do in a run).

import { artifactsVar, roleDefaults, type Cluster } from './role-scope.js'
import { hostvarsProxy } from '../../../src/engine/run/hostvars.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

/** Three control planes (etcd on them) and two workers, addresses given three different ways. */
export const FIVE_NODES: Cluster = {
  groups: {
    kube_control_plane: ['cp1', 'cp2', 'cp3'], kube_node: ['w1', 'w2'], etcd: ['cp1', 'cp2', 'cp3'],
    k8s_cluster: ['cp1', 'cp2', 'cp3', 'w1', 'w2'], calico_rr: [],
  },
  hostvars: {
    cp1: { ansible_host: '10.231.19.2', ip: '10.231.19.2', access_ip: '10.231.19.2' },
    cp2: { ansible_host: '10.231.19.3', ip: '10.231.19.3' },
    cp3: { ansible_host: '10.231.19.4' },
    w1: { ansible_host: '10.231.19.5', ip: '10.231.19.5' },
    w2: { ansible_host: '10.231.19.6', ip: '10.231.19.6' },
  },
}

export function clusterScopes(roles: string[], vars: Record<string, unknown> = {}, cluster: Cluster = FIVE_NODES,
  hostVars: Record<string, Record<string, unknown>> = {}): (host: string) => VarScope {
  const scopes = new Map<string, VarScope>()
  const hostvars = hostvarsProxy(Object.keys(cluster.hostvars), (h) => scopeOf(h))
  const artifacts = artifactsVar()
  function scopeOf(host: string): VarScope {
    let s = scopes.get(host)
    if (s) return s
    const groupNames = Object.entries(cluster.groups).filter(([, hs]) => hs.includes(host)).map(([g]) => g).sort()
    s = new VarScope([
      ...['kubespray_defaults', ...roles].map((r) => ({ source: `roles/${r}/defaults/main.yaml`, vars: roleDefaults(r) })),
      {
        source: 'inventory',
        vars: {
          ...cluster.hostvars[host], ...hostVars[host],
          inventory_hostname: host, group_names: groupNames,
          groups: { all: Object.keys(cluster.hostvars), ...cluster.groups },
          host_architecture: 'amd64', ansible_os_family: 'Debian', inventory_dir: '/inv',
          kubeseed_artifacts: artifacts,
          ...vars,
        },
      },
    ], { host, magic: { hostvars: () => hostvars } })
    scopes.set(host, s)
    return s
  }
  return scopeOf
}
