// `kubeseed inventory`: what ansible-inventory prints, for the same input.

import type { Argv } from 'yargs'
import { UsageError } from '../engine/errors.js'
import { ansibleJson, toAnsibleGraph, toAnsibleHost, toAnsibleList } from '../engine/inventory/ansible-output.js'
import { prepareInventory } from '../engine/inventory/prepared.js'

export function inventoryCommand<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('inventory', 'Show an inventory as ansible-inventory does (--list, --graph, --host)',
    (y) => y
      .option('inventory', { alias: 'i', type: 'string', array: true, demandOption: true })
      .option('list', { type: 'boolean', default: false })
      .option('graph', { type: 'string', describe: 'show the group tree (optionally from GROUP)' })
      .option('host', { type: 'string' })
      .option('vars', { type: 'boolean', default: false, describe: 'with --graph: show vars' })
      .option('check', { type: 'boolean', default: false, describe: 'run the inventory checks' }),
    (a) => {
      const inv = prepareInventory(a.inventory as string[], (w) => process.stderr.write(`[WARNING]: ${w}\n`))
      if (a.check) inv.check()
      if (a.host !== undefined) {
        if (!inv.hosts.has(a.host)) throw new UsageError(`host '${a.host}' is not in the inventory`)
        process.stdout.write(`${ansibleJson(toAnsibleHost(inv, a.host))}\n`)
      } else if (a.graph !== undefined) {
        process.stdout.write(`${toAnsibleGraph(inv, a.graph || 'all', a.vars as boolean)}\n`)
      } else if (a.list || a.check) {
        if (a.list) process.stdout.write(`${ansibleJson(toAnsibleList(inv))}\n`)
      } else {
        throw new UsageError('say what to show', undefined, 'use --list, --graph [GROUP] or --host NAME')
      }
      setCode(0)
    })
}
