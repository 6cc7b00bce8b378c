// `kubeseed config render`: the kubeadm documents one host gets from cluster.yaml, without reaching any host.
// The host's variables are layered as a run layers them (role defaults < inventory < -e); values only a running
// cluster has (bootstrap token, CA hash, certificate key) are well-formed placeholders the template marks.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../engine/errors.js'
import type { Inventory } from '../engine/inventory/model.js'
import { ROLES_DIR, TEMPLATES_DIR } from '../engine/paths.js'
import { hostvarsProxy } from '../engine/run/hostvars.js'
import { renderTemplate } from '../engine/handlebars/render.js'
import type { ScopeLayer } from '../engine/vars/layer.js'
import { VarScope } from '../engine/vars/scope.js'
import { keyLinesOf, loadYaml } from '../engine/yaml.js'
import { loadManifest, supportedReleases } from '../offline/manifest.js'

/** Roles whose defaults the kubeadm documents read, in the order cluster.yaml's plays layer them. */
const ROLES = ['kubespray_defaults', 'kubernetes/node', 'kubernetes/control-plane', 'kubernetes/kubeadm']

export const INIT_TEMPLATE = 'kubeadm/kubeadm-config.yaml.hbs'
export const JOIN_TEMPLATE = 'kubeadm/kubeadm-join.yaml.hbs'

/** Well-formed stand-ins for what a run makes on the first control plane. */
export const PLACEHOLDERS = {
  kubeadm_token: 'abcdef.0123456789abcdef',
  kubeadm_ca_hash: `sha256:${'0'.repeat(64)}`,
  kubeadm_certificate_key: '0'.repeat(64),
}

export type NodeRole = 'init' | 'control-plane-join' | 'worker-join'

export interface RenderedConfig {
  role: NodeRole
  template: string
  text: string
}

function roleDefaults(): ScopeLayer[] {
  return ROLES.map((role) => {
    const file = join(ROLES_DIR, role, 'defaults', 'main.yaml')
    const data = loadYaml(readFileSync(file, 'utf8'), file)
    return { source: file, vars: (data ?? {}) as Record<string, unknown>, lines: keyLinesOf(data) }
  })
}

export interface HostScopes {
  scope(host: string): VarScope
}

/** Each inventory host's scope as a run would see it before any fact is gathered. */
export function hostScopes(inv: Inventory, extraVars: Record<string, unknown>, runValues: Record<string, unknown>): HostScopes {
  const defaults = roleDefaults()
  const groups: Record<string, string[]> = {}
  for (const g of inv.groups.keys()) groups[g] = inv.groupHosts(g)
  const scopes = new Map<string, VarScope>()
  const hosts = [...inv.hosts.keys()]
  const hostvars = hostvarsProxy(hosts, (h) => scope(h))
  function scope(host: string): VarScope {
    let s = scopes.get(host)
    if (s) return s
    // Below the inventory, so a value it pins (kubespray's kubeadm_token) wins, as it does in a run.
    const layers: ScopeLayer[] = [...defaults, { source: 'values a run makes on the first control plane', vars: runValues, literal: true }, ...inv.hostLayers(host)]
    if (Object.keys(extraVars).length) layers.push({ source: 'extra vars (-e)', vars: extraVars })
    s = new VarScope(layers, {
      host,
      magic: {
        inventory_hostname: () => host,
        inventory_hostname_short: () => host.split('.')[0],
        group_names: () => inv.hosts.get(host)?.groups.filter((g) => g !== 'all' && g !== 'ungrouped') ?? [],
        groups: () => groups,
        hostvars: () => hostvars,
      },
    })
    scopes.set(host, s)
    return s
  }
  return { scope }
}

/** Which kubeadm command the host runs: init on the first control plane, join for the others. */
export function nodeRole(inv: Inventory, host: string): NodeRole {
  const cps = inv.groups.has('kube_control_plane') ? inv.groupHosts('kube_control_plane') : []
  if (cps[0] === host) return 'init'
  if (cps.includes(host)) return 'control-plane-join'
  const cluster = inv.groups.has('k8s_cluster') ? inv.groupHosts('k8s_cluster') : []
  if (!cluster.includes(host)) {
    throw new UsageError(`host '${host}' is not in k8s_cluster: kubeadm does not run there`, undefined, 'name a control plane or a worker')
  }
  return 'worker-join'
}

/** The settings kubeseed refuses (kubeseed_setting_checks in kubespray_defaults), as run time refuses them. */
export function refusedSettings(scope: VarScope): string[] {
  const checks = scope.get('kubeseed_setting_checks') as Array<{ name: string; ok: unknown; hint?: string }>
  return checks.filter((c) => !(c.ok === true || c.ok === 'True' || c.ok === 'true')).map((c) => {
    const value = scope.get(c.name)
    return `${c.name}: ${typeof value === 'string' ? value : JSON.stringify(value)} is not supported${c.hint ? `; ${c.hint}` : ''}`
  })
}

export function renderHostConfig(inv: Inventory, host: string, extraVars: Record<string, unknown>): RenderedConfig {
  if (!inv.hosts.has(host)) throw new UsageError(`host '${host}' is not in the inventory`, undefined, 'see kubeseed inventory -i INV --list')
  const role = nodeRole(inv, host)
  // Init documents carry a bootstrap token only when the inventory pins one, as kubespray's do.
  const runValues = role === 'init' ? {} : { ...PLACEHOLDERS, kubeadm_render_placeholders: true, kubeadm_join_control_plane: role === 'control-plane-join' }
  const scopes = hostScopes(inv, extraVars, runValues)
  const scope = scopes.scope(host)
  const version = String(scope.get('kube_version'))
  const releases = supportedReleases(loadManifest({ manifestFiles: scope.has('kubeseed_manifest_files') ? scope.get('kubeseed_manifest_files') as string[] : [] }))
  if (!releases.some((r) => r.kubeVersion === version)) {
    throw new UsageError(`kube_version: ${version} is not in the offline manifest`, { host }, `supported: ${releases.map((r) => r.kubeVersion).join(', ')}`)
  }
  const refused = refusedSettings(scope)
  if (refused.length) throw new UsageError(refused.join('; '), { host })
  const template = role === 'init' ? INIT_TEMPLATE : JOIN_TEMPLATE
  const text = renderTemplate(readFileSync(join(TEMPLATES_DIR, template), 'utf8'), { name: `templates/${template}`, scope, host })
  return { role, template, text }
}
