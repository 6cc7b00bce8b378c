// The inventory an air-gapped sandbox e2e runs with: the sandbox's hosts and group_vars, the variables
// `offline serve` printed for the mirror, and the suite's own cluster variables.

import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AirgapSandbox } from '../../src/sandbox/airgap.js'

/** Writes WORK/inventory and returns its path; `clusterVars` are YAML lines for group_vars/all/cluster.yml. */
export function writeAirgapInventory(env: AirgapSandbox, work: string, clusterVars: string[] = []): string {
  const inventory = join(work, 'inventory')
  mkdirSync(join(inventory, 'group_vars', 'all'), { recursive: true })
  cpSync(env.sandbox.inventory, join(inventory, 'hosts.yaml'))
  cpSync(join(env.sandbox.state.stateDir, 'inventory', 'group_vars', 'all.yaml'), join(inventory, 'group_vars', 'all', 'sandbox.yaml'))
  writeFileSync(join(inventory, 'group_vars', 'all', 'offline.yml'), env.mirror.yaml)
  writeFileSync(join(inventory, 'group_vars', 'all', 'cluster.yml'), [
    `kube_version: ${env.bundle.kubeVersion}`,
    `kubeseed_manifest_files: [${JSON.stringify(env.bundle.manifestFile)}]`,
    ...clusterVars,
    '',
  ].join('\n'))
  return inventory
}
