// What every air-gapped sandbox e2e does around its tests: the inventory it runs with (the sandbox's hosts and
// group_vars, the variables `offline serve` printed, the suite's own cluster variables), and the teardown.

import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AirgapSandbox } from '../../src/sandbox/airgap.js'
import { sandboxDown } from '../../src/sandbox/index.js'

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

/** Stops the mirror, removes the sandbox and the suite's work directory. */
export async function teardownAirgap(env: AirgapSandbox | undefined, name: string, work: string | undefined): Promise<void> {
  await env?.stop()
  await sandboxDown({ name })
  if (work) rmSync(work, { recursive: true, force: true })
}
