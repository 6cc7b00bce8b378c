// One run from options to outcome: load and check the inventory and the playbook (every input mistake
// surfaces here, before any host is touched), then hand them to the runner with the connections, the
// controller files and the facts cache it uses.

import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { ExitCode, InventoryError, KubeseedError, PlaybookError, type Where } from '../errors.js'
import { valueFreeVars, templateFreeVars, freeVars } from '../expr/index.js'
import { fileFactsCache } from '../facts/cache.js'
import { renderTemplate } from '../handlebars/render.js'
import { prepareInventory, type PreparedInventory } from '../inventory/prepared.js'
import { selectHosts } from '../inventory/pattern.js'
import { renderPlayHosts } from '../playbook/play-hosts.js'
import { renderPlaySerial } from '../playbook/play-serial.js'
import { combineArgs, parseParams } from '../params.js'
import { ROLES_DIR } from '../paths.js'
import { loadPlaybook } from '../playbook/load.js'
import type { Playbook } from '../playbook/model.js'
import type { HostRecap } from '../report/events.js'
import type { Facts, TaskType } from '../task.js'
import { HostConnector, type ConnectorOptions } from '../transport/connector.js'
import { forksFor, openFilesLimit } from '../transport/limits.js'
import { VarScope } from '../vars/scope.js'
import { ControllerFiles } from './controller-files.js'
import { Runner, type HostMagic, type RunSettings } from './runner.js'

export interface TaskRegistry {
  taskType(name: string): TaskType | undefined
  taskTypeNames(): string[]
}

export interface SessionOptions extends Omit<RunSettings, 'forks'>, Omit<ConnectorOptions, 'inventories'> {
  inventories: string[]
  /** Hosts in flight at once (default 50); every host's connection must fit under the open-files limit. */
  forks?: number
  /** A playbook file, or an already built playbook (facts). */
  playbook: string | Playbook
  registry: TaskRegistry
  becomePassword?: string
  /** Computed variables the command layer adds for each host (the offline manifest entry). */
  hostMagic?: HostMagic
  /** Why a well-formed kube_version cannot be installed (not in the offline manifest), if it cannot. */
  kubeVersionProblem?: (version: string) => string | undefined
}

export interface RunOutcome {
  /** The process exit code: ok, a host failed, or a host was unreachable. */
  code: number
  hosts: Record<string, HostRecap>
  /** Why each failed or unreachable host stopped. */
  failures: Record<string, string>
  /** Hosts the run leaves out of service, with why. */
  held: Record<string, string>
  /** Facts gathered in this run, by host. */
  facts: Record<string, Facts>
  /** Hosts stopped in the middle of a task by an interruption, with that task. */
  interrupted: Array<{ host: string; task: string }>
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

/** Every private key file a host of the run would use exists: a missing one is an input mistake, not an unreachable host. */
function assertKeyFiles(hosts: string[], inv: PreparedInventory, option?: string): void {
  if (option && !existsSync(option)) throw new InventoryError(`--private-key ${option}: file not found`, undefined, 'give the path of an SSH private key')
  for (const h of hosts) {
    const scope = inv.scope(h)
    const r = scope.raw('ansible_ssh_private_key_file') ?? scope.raw('ansible_private_key_file')
    if (!r || typeof r.value !== 'string' || r.value.includes('{{') || existsSync(r.value)) continue
    throw new InventoryError(`host ${h}: ansible_ssh_private_key_file ${r.value}: file not found`, { file: r.source.includes('/') ? r.source : undefined, line: r.line },
      'point it at an existing SSH private key (relative paths start at the current directory)')
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
  const inv = prepareInventory(o.inventories, warn, o.extraVars)
  inv.check({ kubeVersionProblem: o.kubeVersionProblem })
  const read = readPlaybook(o)
  const playbook = { ...read, plays: read.plays.map((play) => ({ ...play, hosts: renderPlayHosts(play, o.extraVars), serial: renderPlaySerial(play, o.extraVars) })) }
  const runHosts = hostsToRun(o, inv, playbook.plays)
  assertKeyFiles(runHosts, inv, o.privateKeyFile)
  const forks = forksFor({ requested: o.forks, hosts: runHosts.length, openFiles: openFilesLimit() })

  const connector = new HostConnector(inv, { ...o, inventories: o.inventories })
  const runner = makeRunner(o, inv, connector, forks)
  let recap
  try {
    recap = await runner.run(playbook)
  } finally {
    // Interrupted: a handshake still under way is not waited for.
    const closing = connector.closeAll()
    if (!o.signal?.aborted) await closing
  }
  const facts: Record<string, Facts> = {}
  for (const h of Object.keys(recap.hosts)) { const f = runner.factsOf(h); if (f) facts[h] = f }
  const code = o.signal?.aborted ? ExitCode.interrupted : recap.ok ? ExitCode.ok : runner.anyInputError() ? ExitCode.badInput : Object.values(recap.hosts).some((h) => h.unreachable) ? ExitCode.unreachable : ExitCode.hostFailed
  return { code, hosts: recap.hosts, failures: recap.failures, held: recap.held, facts, interrupted: runner.interruptedHosts() }
}

/**
 * The hosts some play targets, within --limit. Bad patterns stop the run before any host is touched; names
 * the inventory lacks are warned about when their play starts.
 */
function hostsToRun(o: SessionOptions, inv: PreparedInventory, plays: readonly { hosts: string }[]): string[] {
  const playHosts = new Set(plays.flatMap((play) => selectHosts(inv, play.hosts, () => {})))
  let limited: Set<string> | undefined
  try {
    limited = o.limit ? new Set(selectHosts(inv, o.limit)) : undefined
  } catch (e) {
    if (e instanceof KubeseedError) throw new InventoryError(`--limit ${o.limit}: ${e.message}`)
    throw e
  }
  return [...playHosts].filter((h) => !limited || limited.has(h))
}

/** The runner wired to this session's inventory, connections, controller files and facts cache. */
function makeRunner(o: SessionOptions, inv: PreparedInventory, connector: HostConnector, forks: number): Runner {
  const extra = { ...o.extraVars }
  if (o.becomePassword && extra.ansible_become_password === undefined) extra.ansible_become_password = o.becomePassword
  const files = new ControllerFiles()
  const inventoryFile = resolve(o.inventories[0]!)
  return new Runner({
    inventory: inv,
    selectHosts: (p, unmatched) => selectHosts(inv, p, unmatched),
    taskType: (n) => o.registry.taskType(n),
    parseParams: (t, raw, where) => parseParams(t, raw, where, { templated: true }) as Record<string, unknown>,
    makeScope: (layers, opts) => new VarScope(layers, opts),
    renderTemplate: (source, name, scope, host) => renderTemplate(source, { name, scope, host }),
    readTemplate: (name, roleDir, playbookDir) => files.template(name, roleDir, playbookDir),
    readLocalFile: (path, baseDirs) => files.file(path, baseDirs),
    statLocal: (path, baseDirs) => files.stat(path, baseDirs),
    reads,
    connect: (host, vars) => connector.connect(host, vars),
    extraMagic: o.hostMagic,
    extraVars: extra,
    limit: o.limit,
    tags: o.tags,
    skipTags: o.skipTags,
    check: o.check,
    diff: o.diff,
    forks,
    sink: o.sink,
    signal: o.signal,
    inventoryFile,
    // Ansible's inventory_dir: the inventory directory given with -i, or the directory of the inventory file.
    inventoryDir: statSync(inventoryFile, { throwIfNoEntry: false })?.isDirectory() ? inventoryFile : dirname(inventoryFile),
    factsCache: fileFactsCache({
      inventory: o.inventories.map((p) => resolve(p)).join('\n'),
      address: (h) => {
        const v = (n: string) => { const s = inv.scope(h); return s.has(n) ? String(s.get(n)) : undefined }
        return `${v('ansible_host') ?? h}:${v('ansible_port') ?? 22}`
      },
    }),
  })
}
