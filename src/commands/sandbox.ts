// `kubeseed sandbox up|down|ls|ssh`: local test hosts (systemd-nspawn nodes on a private bridge).

import type { Argv } from 'yargs'
import { startLightHosts } from '../sandbox/light.js'
import { untilStopSignal } from './stop-signal.js'
import { DEFAULT_NAME, DEFAULT_NODES, DEFAULT_SUBNET, sandboxDown, sandboxList, sandboxSsh, sandboxUp } from '../sandbox/index.js'

/** Light hosts live as long as this command: they are this process's children. */
async function lightUp(count: number, name: string): Promise<number> {
  const c = await startLightHosts({ count, name, log: (l) => process.stderr.write(`${l}\n`) })
  process.stdout.write(`${c.hosts.map((h) => `${h.name}  ${h.address}`).join('\n')}\ninventory: ${c.inventoryFile}\n` +
    `known_hosts: ${c.knownHostsFile}\nrunning; stop with Ctrl-C\n`)
  await untilStopSignal()
  await c.stop()
  process.stdout.write('stopped\n')
  return 0
}

const count = (v: unknown): number | string[] | undefined =>
  v === undefined ? undefined : /^\d+$/.test(String(v)) ? Number(v) : String(v).split(',').map((s) => s.trim())

export function sandboxCommands<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('sandbox', 'Local test hosts: systemd nodes in systemd-nspawn on a private bridge', (y) => y
    .command('up', 'Bring up (or converge) a sandbox', (s) => s
      .option('name', { type: 'string', default: DEFAULT_NAME })
      .option('nodes', { type: 'number', default: DEFAULT_NODES })
      .option('subnet', { type: 'string', default: DEFAULT_SUBNET })
      .option('control-planes', { type: 'string', describe: 'a count or node names' })
      .option('etcd', { type: 'string', describe: 'a count or node names' })
      .option('light', { type: 'boolean', default: false, describe: 'sshd-only hosts on loopback addresses (no systemd), kept until Ctrl-C' }),
    async (a) => {
      if (a.light) { setCode(await lightUp(a.nodes, a.name)); return }
      const r = await sandboxUp({
        name: a.name, nodes: a.nodes, subnet: a.subnet, controlPlanes: count(a.controlPlanes) as never, etcd: count(a.etcd) as never,
        log: (l: string) => process.stderr.write(`${l}\n`),
      })
      for (const n of r.nodes) process.stdout.write(`${n.node}: ${n.status}${n.failedUnits.length ? ` (failed: ${n.failedUnits.join(', ')})` : ''}\n`)
      process.stdout.write(`inventory: ${r.inventory}\nboot: ${(r.bootMs / 1000).toFixed(1)} s\n`)
      setCode(0)
    })
    .command('down', 'Stop a sandbox and remove everything it made', (s) => s.option('name', { type: 'string', default: DEFAULT_NAME }),
      async (a) => {
        const r = await sandboxDown({ name: a.name })
        process.stdout.write(r.removed ? `removed ${a.name} (${r.stoppedNodes.length} nodes stopped)\n` : `no sandbox named ${a.name}\n`)
        setCode(0)
      })
    .command('ls', 'List sandboxes', () => {}, () => {
      for (const s of sandboxList()) {
        process.stdout.write(`${s.name}  ${s.subnet}  ${s.inventory}\n`)
        for (const n of s.nodes) process.stdout.write(`  ${n.name}  ${n.address}  ${n.roles.join(',')}  ${n.running ? 'running' : 'stopped'}\n`)
      }
      setCode(0)
    })
    .command('ssh <node> [command..]', 'Log in to a node (strict host keys)', (s) => s
      .positional('node', { type: 'string', demandOption: true })
      .positional('command', { type: 'string', array: true })
      .option('name', { type: 'string', default: DEFAULT_NAME })
      .option('user', { type: 'string', default: 'root' }),
    async (a) => {
      const cmd = (a.command as string[] | undefined)?.join(' ')
      const r = await sandboxSsh({ name: a.name, node: String(a.node), command: cmd || undefined, user: a.user, stdio: 'inherit' })
      setCode(r.code ?? 1)
    })
    .demandCommand(1, 'name a sandbox command: up, down, ls or ssh'))
}
