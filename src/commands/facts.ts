// `kubeseed facts`: the facts of each host, gathered in one exec per host, as JSON.

import type { Argv } from 'yargs'
import { makeReporter } from '../engine/report/reporter.js'
import { factsPlaybook, runPlaybook } from '../engine/run/session.js'
import type { Facts } from '../engine/task.js'
import * as registry from '../tasks/index.js'

export function factsCommand<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('facts', 'Gather and print the facts of the hosts (one exec per host)',
    (y) => y
      .option('inventory', { alias: 'i', type: 'string', array: true, demandOption: true })
      .option('limit', { alias: 'l', type: 'string', default: 'all' })
      .option('forks', { alias: 'f', type: 'number', default: 50 })
      .option('accept-new-host-keys', { type: 'boolean', default: false })
      .option('known-hosts', { type: 'string', array: true, default: [] }),
    async (a) => {
      const lines: string[] = []
      const sink = makeReporter({ output: 'text', verbose: 0, diff: false, progress: false, write: (l) => lines.push(l) })
      const facts: Record<string, Facts> = {}
      const code = await runPlaybook({
        inventories: a.inventory as string[], playbook: factsPlaybook(a.limit as string), registry, extraVars: {},
        tags: [], skipTags: [], check: false, diff: false, forks: a.forks as number, sink,
        acceptNewHostKeys: a.acceptNewHostKeys as boolean, knownHostsFiles: a.knownHosts as string[],
      }, (runner) => {
        for (const h of runner.hostNames()) { const f = runner.factsOf(h); if (f) facts[h] = f }
      })
      process.stdout.write(`${JSON.stringify(facts, null, 2)}\n`)
      for (const l of lines.filter((x) => /^(unreachable|fatal|failed:|\[WARNING\])/.test(x))) process.stderr.write(`${l}\n`)
      setCode(code)
    })
}
