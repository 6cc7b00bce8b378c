// Kubespray renamed its groups; old inventories still use the dashed names. We read them as the
// new names (kubespray does the same with group_by plays) and say so once per name.

export const LEGACY_GROUPS: Readonly<Record<string, string>> = {
  'kube-master': 'kube_control_plane',
  'kube-node': 'kube_node',
  'k8s-cluster': 'k8s_cluster',
  'calico-rr': 'calico_rr',
}

/** The current kubespray name for a group name (itself when it is not a legacy name). */
export function currentGroupName(name: string): string {
  return Object.hasOwn(LEGACY_GROUPS, name) ? LEGACY_GROUPS[name]! : name
}

/** Legacy names that map to `name`. */
export function legacyNamesOf(name: string): string[] {
  return Object.keys(LEGACY_GROUPS).filter((k) => LEGACY_GROUPS[k] === name)
}

/**
 * Kubespray's sample inventory no longer declares k8s_cluster: its playbooks put every
 * kube_control_plane and kube_node host in it. We do the same when the inventory does not
 * declare the group, so group_vars/k8s_cluster/ applies as it does under kubespray.
 */
export function addImplicitClusterGroup(data: {
  groups: Map<string, unknown>
  warnings: string[]
  addGroup(name: string): string
  addChildGroup(parent: string, child: string): void
}): void {
  if (data.groups.has('k8s_cluster')) return
  const members = ['kube_control_plane', 'kube_node'].filter((g) => data.groups.has(g))
  if (members.length === 0) return
  data.addGroup('k8s_cluster')
  for (const g of members) data.addChildGroup('k8s_cluster', g)
  data.warnings.push(`the inventory has no k8s_cluster group: kubeseed makes it of ${members.join(' and ')} as kubespray's playbooks do, so group_vars/k8s_cluster applies to them (ansible-inventory --list shows neither); declare [k8s_cluster:children] to make this explicit`)
}
