// `kubeseed config print-default`: kubespray's defaults as kubeadm documents, like `kubeadm config print
// init-defaults`: the init documents of a first control plane and a worker's JoinConfiguration, on placeholder
// addresses, for the chosen Kubernetes version.

import { join } from 'node:path'
import { dump, loadAll } from 'js-yaml'
import { UsageError } from '../engine/errors.js'
import { TEMPLATES_DIR } from '../engine/paths.js'
import { prepareInventory } from '../engine/inventory/prepared.js'
import { loadManifest, supportedReleases } from '../offline/manifest.js'
import { renderHostConfig } from './render.js'

export const KINDS = ['InitConfiguration', 'ClusterConfiguration', 'JoinConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration'] as const
export type Kind = typeof KINDS[number]

const INVENTORY = join(TEMPLATES_DIR, 'kubeadm', 'print-default-inventory.yaml')

export function printDefault(kinds: readonly string[], kubeVersion?: string): string {
  for (const k of kinds) {
    if (!(KINDS as readonly string[]).includes(k)) throw new UsageError(`--kind ${k} is not a kubeadm document kubeseed writes`, undefined, `one of ${KINDS.join(', ')}`)
  }
  const inv = prepareInventory([INVENTORY], () => undefined)
  const extra = kubeVersion ? { kube_version: releaseOf(kubeVersion.replace(/^v/, '')) } : {}
  const docs = [renderHostConfig(inv, 'node', extra), renderHostConfig(inv, 'worker', extra)]
    .flatMap((r) => loadAll(r.text) as Array<Record<string, unknown>>)
    .filter((d) => d && (kinds.length === 0 || kinds.includes(String(d.kind))))
  return docs.map((d) => dump(d, { lineWidth: -1, noRefs: true })).join('---\n')
}

/** A minor ("1.31") means its newest patch in the offline manifest, as `offline list --kube-version` reads it. */
function releaseOf(version: string): string {
  if (!/^\d+\.\d+$/.test(version)) return version
  return supportedReleases(loadManifest()).find((r) => r.kubeVersion.startsWith(`${version}.`))?.kubeVersion ?? version
}
