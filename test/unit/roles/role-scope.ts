// A host's variables as a play over kubeseed's roles sees them: the roles' defaults (real files), then
// inventory-like values, with `kubeseed_artifacts` from the real offline manifest in the shape the engine
// hands to roles.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load, YAML11_SCHEMA } from 'js-yaml'
import { artifactsFor } from '../../../src/offline/manifest.js'
import { renderTemplate } from '../../../src/engine/handlebars/render.js'
import { TEMPLATES_DIR, ROLES_DIR } from '../../../src/engine/paths.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

export function roleDefaults(role: string): Record<string, unknown> {
  return load(readFileSync(join(ROLES_DIR, role, 'defaults', 'main.yaml'), 'utf8'), { schema: YAML11_SCHEMA }) as Record<string, unknown>
}

export function artifactsVar(kubeVersion = '1.32.13', arch = 'amd64'): Record<string, unknown> {
  const a = artifactsFor({ kubeVersion, arch })
  return { versions: a.versions, files: Object.fromEntries(a.files.map((f) => [f.name, f])), images: a.images, packages: a.packages, package_sets: a.packageSets }
}

export interface Cluster {
  groups: Record<string, string[]>
  hostvars: Record<string, Record<string, unknown>>
}

/** Three nodes: node1 control plane, all three etcd members. */
export const THREE_NODES: Cluster = {
  groups: { kube_control_plane: ['node1'], kube_node: ['node2', 'node3'], etcd: ['node1', 'node2', 'node3'], k8s_cluster: ['node1', 'node2', 'node3'], calico_rr: [] },
  hostvars: {
    node1: { ansible_host: '10.231.0.2', ip: '10.231.0.2', access_ip: '10.231.0.2' },
    node2: { ansible_host: '10.231.0.3', ip: '10.231.0.3' },
    node3: { ansible_host: '10.231.0.4' },
  },
}

export function hostScope(host: string, roles: string[], vars: Record<string, unknown> = {}, cluster: Cluster = THREE_NODES): VarScope {
  const groupNames = Object.entries(cluster.groups).filter(([, hs]) => hs.includes(host)).map(([g]) => g).sort()
  return new VarScope([
    ...['kubespray_defaults', ...roles].map((r) => ({ source: `roles/${r}/defaults/main.yaml`, vars: roleDefaults(r) })),
    {
      source: 'inventory',
      vars: {
        ...cluster.hostvars[host],
        inventory_hostname: host,
        group_names: groupNames,
        groups: { all: Object.keys(cluster.hostvars), ...cluster.groups },
        hostvars: cluster.hostvars,
        host_architecture: 'amd64',
        kubeseed_artifacts: artifactsVar(),
        ...vars,
      },
    },
  ], { host })
}

export function render(template: string, scope: VarScope, extra?: Record<string, unknown>): string {
  const source = readFileSync(join(TEMPLATES_DIR, template), 'utf8')
  return renderTemplate(source, { name: `templates/${template}`, scope, host: scope.host, extra })
}
