// `kubeseed demo` (npm run demo): an air-gapped sandbox on this machine, the cluster playbook run against it
// through the local mirror, then the nodes as the first control plane's kubectl sees them, the recap and the
// wall time. The sandbox stays up for a look around; the mirror stops.

import type { Argv } from 'yargs'
import { makeReporter } from '../engine/report/reporter.js'
import { airgapSandbox } from '../sandbox/airgap.js'
import { sandboxSsh } from '../sandbox/index.js'
import { bundledPlaybook, runWith } from './play.js'

export function demoCommand<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('demo', 'Bring up an air-gapped sandbox and run the cluster playbook against it', (y) => y
    .option('name', { type: 'string', default: 'demo' })
    .option('nodes', { type: 'number', default: 3 })
    .option('progress', { type: 'boolean', default: true }),
  async (a) => {
    const env = await airgapSandbox({ name: a.name, nodes: a.nodes, progress: process.stderr })
    try {
      const sink = makeReporter({ output: 'text', verbose: 0, diff: false, progress: a.progress })
      const t0 = Date.now()
      const { code } = await runWith({ inventories: [env.inventory], playbook: bundledPlaybook('cluster'), sink })
      const seconds = ((Date.now() - t0) / 1000).toFixed(1)
      const cp = env.sandbox.state.controlPlanes[0]
      if (cp) {
        const nodes = await sandboxSsh({ name: a.name, node: cp, command: 'kubectl get nodes -o wide', stdio: 'pipe' })
        process.stdout.write(`\n${cp}$ kubectl get nodes -o wide\n${nodes.stdout}${nodes.stderr}`)
      }
      process.stdout.write(`\ncluster.yaml: ${seconds} s wall time, exit ${code}\n`)
      process.stdout.write(`\nThe sandbox "${a.name}" is still up: kubeseed sandbox ssh node1 --name ${a.name}\n` +
        `Run it again (idempotent): kubeseed cluster -i ${env.inventory}  (with the mirror served: kubeseed offline serve ${env.bundle.dir} --listen ${env.sandbox.state.bastion})\n` +
        `Tear it down: kubeseed sandbox down --name ${a.name}\n`)
      setCode(code)
    } finally {
      await env.stop()
    }
  })
}
