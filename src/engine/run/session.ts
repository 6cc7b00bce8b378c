// One run from options to outcome: load and check the inventory and the playbook (every input mistake
// surfaces here, before any host is touched), then hand them to the runner with the connections, the
// controller files and the facts cache it uses.

import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { ExitCode, PlaybookError, type Where } from '../errors.js'
import { valueFreeVars, templateFreeVars, freeVars } from '../expr/index.js'
import { fileFactsCache } from '../facts/cache.js'
import { renderTemplate } from '../handlebars/render.js'
import { prepareInventory } from '../inventory/prepared.js'
import { selectHosts } from '../inventory/pattern.js'
import { renderPlayHosts } from '../playbook/play-hosts.js'
import { combineArgs, parseParams } from '../params.js'
import { ROLES_DIR } from '../paths.js'
import { loadPlaybook } from '../playbook/load.js'
import type { Playbook } from '../playbook/model.js'
import type { HostRecap } from '../report/events.js'
import type { Facts, TaskType } from '../task.js'
import { HostConnector, type ConnectorOptions } from '../transport/connector.js'
import { VarScope } from '../vars/scope.js'
import { ControllerFiles } from './controller-files.js'
import { Runner, type HostMagic, type RunSettings } from './runner.js'

export interface TaskRegistry {
  taskType(name: string): TaskType | undefined
  taskTypeNames(): string[]
}

export interface SessionOptions extends RunSettings, Omit<ConnectorOptions, 'inventories'> {
  inventories: string[]
  /** A playbook file, or an already built playbook (facts). */
  playbook: string | Playbook
  registry: TaskRegistry
  becomePassword?: string
  /** Computed variables the command layer adds for each host (the offline manifest entry). */
  hostMagic?: HostMagic
}

export interface RunOutcome {
  /** The process exit code: ok, a host failed, or a host was unreachable. */
  code: number
  hosts: Record<string, HostRecap>
  /** Why each failed or unreachable host stopped. */
  failures: Record<string, string>
  /** Facts gathered in this run, by host. */
  facts: Record<string, Facts>
}

function reads(value: unknown, bare: boolean): string[] {
  try {
    if (bare && typeof value === 'string') return [...freeVars(value)]
    if (typeof value === 'string') return [...templateFreeVars(value)]
    return [...valueFreeVars(value)]
  } catch {
    return []
  }
}

function readPlaybook(o: SessionOptions): Playbook {
  if (typeof o.playbook !== 'string') return o.playbook
  const file = resolve(o.playbook)
  if (!existsSync(file)) throw new PlaybookError(`playbook not found: ${o.playbook}`, undefined, 'give a path to a playbook YAML file')
  const module = (name: string) => {
    const t = o.registry.taskType(name)
    if (!t) return undefined
    return {
      name: t.name,
      check: (args: unknown, where: Where) => { parseParams(t, args, where, { templated: false }) },
      combine: (text: string, extra: Record<string, unknown>, where: Where) => combineArgs(t, text, extra, where),
    }
  }
  return loadPlaybook(file, { module, moduleNames: () => o.registry.taskTypeNames(), rolesPath: [ROLES_DIR] })
}

export async function runPlaybook(o: SessionOptions): Promise<RunOutcome> {
  const warn = (message: string) => o.sink.emit({ type: 'warning', message })
  const inv = prepareInventory(o.inventories, warn)
  inv.check()
  const read = readPlaybook(o)
  const playbook = { ...read, plays: read.plays.map((play) => ({ ...play, hosts: renderPlayHosts(play, o.extraVars) })) }
  for (const play of playbook.plays) selectHosts(inv, play.hosts)
  if (o.limit) selectHosts(inv, o.limit)

  const connector = new HostConnector(inv, { ...o, inventories: o.inventories })
  const extra = { ...o.extraVars }
  if (o.becomePassword && extra.ansible_become_password === undefined) extra.ansible_become_password = o.becomePassword
  const files = new ControllerFiles()
  const runner = new Runner({
    inventory: inv,
    selectHosts: (p) => selectHosts(inv, p),
    taskType: (n) => o.registry.taskType(n),
    parseParams: (t, raw, where) => parseParams(t, raw, where, { templated: true }) as Record<string, unknown>,
    makeScope: (layers, opts) => new VarScope(layers, opts),
    renderTemplate: (source, name, scope, host) => renderTemplate(source, { name, scope, host }),
    readTemplate: (name, roleDir, playbookDir) => files.template(name, roleDir, playbookDir),
    readLocalFile: (path, baseDirs) => files.file(path, baseDirs),
    reads,
    connect: (host, vars) => connector.connect(host, vars),
    extraMagic: o.hostMagic,
    extraVars: extra,
    limit: o.limit,
    tags: o.tags,
    skipTags: o.skipTags,
    check: o.check,
    diff: o.diff,
    forks: o.forks,
    sink: o.sink,
    inventoryFile: resolve(o.inventories[0]!),
    factsCache: fileFactsCache(),
  })
  let recap
  try {
    recap = await runner.run(playbook)
  } finally {
    await connector.closeAll()
  }
  const facts: Record<string, Facts> = {}
  for (const h of Object.keys(recap.hosts)) { const f = runner.factsOf(h); if (f) facts[h] = f }
  const code = recap.ok ? ExitCode.ok : Object.values(recap.hosts).some((h) => h.unreachable) ? ExitCode.unreachable : ExitCode.hostFailed
  return { code, hosts: recap.hosts, failures: recap.failures, facts }
}
