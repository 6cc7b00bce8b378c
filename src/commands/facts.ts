// `kubeseed facts`: the facts of each host, gathered in one exec per host, as JSON on stdout; warnings and
// the hosts that could not be asked on stderr.

import type { Argv } from 'yargs'
import type { Playbook } from '../engine/playbook/model.js'
import type { RunEvent } from '../engine/report/events.js'
import { runWith } from './play.js'

/** A playbook that only gathers facts of the hosts matching `pattern`. */
function factsPlaybook(pattern: string): Playbook {
  return {
    file: '(facts)',
    plays: [{
      name: 'Gather facts', where: {}, hosts: pattern, gatherFacts: true, serial: [], anyErrorsFatal: false,
      strategy: 'linear', vars: {}, roles: [], items: [], handlers: [], baseDir: process.cwd(),
    }],
  }
}

export function factsCommand<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('facts', 'Gather and print the facts of the hosts (one exec per host)',
    (y) => y
      .option('inventory', { alias: 'i', type: 'string', array: true, demandOption: true })
      .option('limit', { alias: 'l', type: 'string', default: 'all' })
      .option('forks', { alias: 'f', type: 'number', describe: 'hosts in flight at once (default 50)' })
      .option('accept-new-host-keys', { type: 'boolean', default: false })
      .option('known-hosts', { type: 'string', array: true, default: [] }),
    async (a) => {
      const warnings: string[] = []
      const sink = { emit: (e: RunEvent) => { if (e.type === 'warning') warnings.push(e.message) } }
      const outcome = await runWith({
        inventories: a.inventory as string[], playbook: factsPlaybook(a.limit as string), sink, forks: a.forks as number | undefined,
        acceptNewHostKeys: a.acceptNewHostKeys as boolean, knownHostsFiles: a.knownHosts as string[],
      })
      process.stdout.write(`${JSON.stringify(outcome.facts, null, 2)}\n`)
      for (const w of warnings) process.stderr.write(`[WARNING]: ${w}\n`)
      for (const [host, why] of Object.entries(outcome.failures)) {
        process.stderr.write(`${outcome.hosts[host]?.unreachable ? 'unreachable' : 'failed'}: [${host}]: ${why}\n`)
      }
      setCode(outcome.code)
    })
}
