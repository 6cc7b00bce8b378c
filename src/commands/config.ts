// `kubeseed config`: the kubeadm documents cluster.yaml writes, without reaching any host.

import type { Argv } from 'yargs'
import { UsageError } from '../engine/errors.js'
import { parseExtraVars } from '../engine/run/extra-vars.js'
import { prepareInventory } from '../engine/inventory/prepared.js'
import { KINDS, printDefault } from '../kubeadm-config/print-default.js'
import { renderHostConfig } from '../kubeadm-config/render.js'

export function configCommands<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('config', 'Show the kubeadm documents cluster.yaml writes (no host is reached)', (y) => y
    .command('print-default', 'kubespray\'s defaults as kubeadm documents (like kubeadm config print init-defaults)', (c) => c
      .option('kind', { type: 'string', array: true, choices: KINDS, describe: 'only these kinds' })
      .option('kube-version', { type: 'string', describe: 'Kubernetes version (default: kubespray_defaults\' kube_version)' }),
    (a) => {
      process.stdout.write(printDefault((a.kind as string[] | undefined) ?? [], a.kubeVersion as string | undefined))
      setCode(0)
    })
    .command('render', 'The exact kubeadm documents one host gets (init, control-plane join or worker join)', (c) => c
      .option('inventory', { alias: 'i', type: 'string', array: true, demandOption: true })
      .option('host', { type: 'string', demandOption: true, describe: 'inventory host name' })
      .option('extra-vars', { alias: 'e', type: 'string', array: true, default: [], describe: 'k=v, JSON/YAML, or @file (repeatable)' }),
    (a) => {
      const warnings: string[] = []
      const extraVars = parseExtraVars(a.extraVars as string[])
      const inv = prepareInventory(a.inventory as string[], (w) => warnings.push(w), extraVars)
      for (const w of warnings) process.stderr.write(`[WARNING]: ${w}\n`)
      const r = renderHostConfig(inv, a.host as string, extraVars)
      process.stdout.write(r.text.endsWith('\n') ? r.text : `${r.text}\n`)
      setCode(0)
    })
    .demandCommand(1, 'name a config command: print-default or render')
    .fail((msg, err) => { throw err ?? new UsageError(msg, undefined, 'see kubeseed config --help') }))
}
