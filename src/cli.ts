#!/usr/bin/env node
// The kubeseed command line: one command per playbook, plus inventory, facts, offline and sandbox.
// A user mistake prints one line and exits 4; a failed host exits 2; an unreachable host exits 3.

import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { ExitCode, KubeseedError } from './engine/errors.js'
import { configCommands } from './commands/config.js'
import { demoCommand } from './commands/demo.js'
import { factsCommand } from './commands/facts.js'
import { inventoryCommand } from './commands/inventory.js'
import { offlineCommands } from './commands/offline.js'
import { playCommands } from './commands/play.js'
import { sandboxCommands } from './commands/sandbox.js'

export async function main(argv: string[]): Promise<number> {
  let code: number = ExitCode.ok
  const setCode = (c: number) => { code = c }
  let cli = yargs(argv)
    .scriptName('kubeseed')
    .usage('$0 <command> [options]\n\nAgentless provisioner for kubeadm Kubernetes clusters.')
  cli = playCommands(cli, setCode)
  cli = inventoryCommand(cli, setCode)
  cli = factsCommand(cli, setCode)
  cli = offlineCommands(cli, setCode)
  cli = sandboxCommands(cli, setCode)
  cli = demoCommand(cli, setCode)
  cli = configCommands(cli, setCode)
  await cli
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new KubeseedError(msg, undefined, 'see kubeseed --help')
    })
    .help()
    .version()
    .parseAsync()
  return code
}

function report(e: unknown): number {
  if (e instanceof KubeseedError) {
    process.stderr.write(`kubeseed: ${e.message}\n`)
    return e.exitCode
  }
  process.stderr.write(`kubeseed: internal error: ${e instanceof Error ? e.stack : String(e)}\n`)
  return 1
}

main(hideBin(process.argv)).then((c) => { process.exitCode = c }, (e) => { process.exitCode = report(e) })
