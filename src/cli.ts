#!/usr/bin/env node
// The kubeseed command line: one command per playbook, plus inventory, facts, offline and sandbox.
// A user mistake prints one line and exits 4; a failed host exits 2; an unreachable host exits 3.

import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { ExitCode, KubeseedError } from './engine/errors.js'
import { commandsFor } from './commands/catalog.js'
import { fileCompiledTemplateStore, keepCompiledTemplates } from './engine/handlebars/compiled-store.js'

export async function main(argv: string[]): Promise<number> {
  // The same switch as the launcher's compile cache: compiled code kept between runs.
  if (!process.env.KUBESEED_NO_COMPILE_CACHE) keepCompiledTemplates(fileCompiledTemplateStore())
  let code: number = ExitCode.ok
  const setCode = (c: number) => { code = c }
  let cli = yargs(argv)
    .scriptName('kubeseed')
    .usage('$0 <command> [options]\n\nAgentless provisioner for kubeadm Kubernetes clusters.')
  for (const register of await commandsFor(argv)) cli = register(cli, setCode)
  skipHelpPrerender(cli)
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

/**
 * yargs renders the whole help text of a command before running its handler, in case the handler shows help
 * later. Ours never do (a usage error is one line), and that render costs more than loading the command.
 */
function skipHelpPrerender(cli: unknown): void {
  const internal = (cli as { getInternalMethods?: () => { getUsageInstance(): { cacheHelpMessage?: () => void } } }).getInternalMethods
  const usage = internal?.call(cli).getUsageInstance()
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => {}
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
