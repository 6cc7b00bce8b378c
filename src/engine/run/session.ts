// One `kubeseed play` from options to exit code: load and check everything, then run. Every input
// mistake surfaces here, before any host is touched.

import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { ExitCode, InventoryError, PlaybookError, type Where } from '../errors.js'
import { valueFreeVars, templateFreeVars, freeVars } from '../expr/index.js'
import { checkInventory } from '../inventory/checks.js'
import { loadInventory } from '../inventory/load.js'
import type { Inventory, VarLayer } from '../inventory/model.js'
import { selectHosts } from '../inventory/pattern.js'
import { combineArgs, parseParams } from '../params.js'
import { PACKAGE_ROOT, ROLES_DIR, TEMPLATES_DIR } from '../paths.js'
import { loadPlaybook } from '../playbook/load.js'
import type { Playbook } from '../playbook/model.js'
import type { Facts, TaskType } from '../task.js'
import { renderTemplate } from '../handlebars/render.js'
import { LocalConnection } from '../transport/local.js'
import { ConnectionPool, addressFromVars } from '../transport/pool.js'
import { knownHostsFromSshArgs } from '../transport/address-from-vars.js'
import type { Connection } from '../transport/types.js'
import { deriveKubesprayVars } from '../vars/kubespray-derived.js'
import { VarScope } from '../vars/scope.js'
import { artifactsFor } from '../../offline/manifest.js'
import { localTree } from './local-tree.js'
import { Runner, type RunSettings } from './runner.js'

export interface TaskRegistry {
  taskType(name: string): TaskType | undefined
  taskTypeNames(): string[]
}

export interface SessionOptions extends RunSettings {
  inventories: string[]
  /** A playbook file, or an already built playbook (facts). */
  playbook: string | Playbook
  registry: TaskRegistry
  acceptNewHostKeys: boolean
  knownHostsFiles: string[]
  sshPassword?: string
  becomePassword?: string
  privateKeyFile?: string
  remoteUser?: string
}

/** Inventory with kubespray-derived values layered on top of each host's inventory layers. */
export function prepareInventory(paths: string[], warn: (m: string) => void): Inventory {
  const inv = loadInventory(paths.map((p) => resolve(p)))
  for (const w of inv.warnings) warn(w)
  const seen = new Set<string>()
  const own = inv.hostLayers.bind(inv)
  const derived = new Map<string, VarLayer>()
  inv.hostLayers = (host: string) => {
    const layers = own(host)
    let d = derived.get(host)
    if (!d) {
      const r = deriveKubesprayVars(new VarScope(layers, { host }), seen)
      for (const w of r.warnings) warn(w)
      d = r.layer
      derived.set(host, d)
    }
    return Object.keys(d.vars).length ? [...layers, d] : layers
  }
  return inv
}

/** Inventory checks (etcd count, duplicate addresses, CIDR overlap, group membership): errors stop the run. */
export function assertInventory(inv: Inventory, warn: (m: string) => void): void {
  const scopes = new Map<string, VarScope>()
  const value = (host: string, name: string) => {
    let s = scopes.get(host)
    if (!s) { s = new VarScope(inv.hostLayers(host), { host }); scopes.set(host, s) }
    return s.has(name) ? s.get(name) : undefined
  }
  const findings = checkInventory(inv, value)
  for (const f of findings.filter((x) => x.level === 'warning')) warn(f.message)
  const errors = findings.filter((x) => x.level === 'error')
  if (errors.length) throw new InventoryError(errors.map((e) => e.message).join('; '))
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

function factsCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubeseed', 'facts')
}

/** A known_hosts file inside an inventory directory, else beside the inventory (file or directory). */
export function localKnownHosts(inventories: string[]): string[] {
  return inventories
    .map((p) => resolve(p))
    .map((p) => {
      const inside = join(p, 'known_hosts')
      return existsSync(p) && statSync(p).isDirectory() && existsSync(inside) ? inside : join(dirname(p), 'known_hosts')
    })
    .filter((f) => existsSync(f))
}

/** known_hosts files the inventory names in ansible_ssh_common_args (-o UserKnownHostsFile=...). */
function inventoryKnownHosts(inv: Inventory): string[] {
  const files = new Set<string>()
  for (const h of inv.hosts.keys()) {
    const vars = inv.hostVars(h)
    for (const k of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
      const v = vars[k]
      if (typeof v === 'string' && !v.includes('{{')) for (const f of knownHostsFromSshArgs(v, h)) files.add(f)
    }
  }
  return [...files]
}

export async function runPlaybook(o: SessionOptions, onDone?: (runner: Runner) => void): Promise<number> {
  const warn = (message: string) => o.sink.emit({ type: 'warning', message })
  const inv = prepareInventory(o.inventories, warn)
  assertInventory(inv, warn)
  const moduleInfo = (name: string) => {
    const t = o.registry.taskType(name)
    if (!t) return undefined
    return {
      name: t.name,
      check: (args: unknown, where: Where) => { parseParams(t, args, where, { templated: false }) },
      combine: (text: string, extra: Record<string, unknown>, where: Where) => combineArgs(t, text, extra, where),
    }
  }
  let playbook: Playbook
  if (typeof o.playbook === 'string') {
    const playbookFile = resolve(o.playbook)
    if (!existsSync(playbookFile)) throw new PlaybookError(`playbook not found: ${o.playbook}`, undefined, 'give a path to a playbook YAML file')
    playbook = loadPlaybook(playbookFile, { module: moduleInfo, moduleNames: () => o.registry.taskTypeNames(), rolesPath: [ROLES_DIR] })
  } else {
    playbook = o.playbook
  }
  for (const play of playbook.plays) selectHosts(inv, play.hosts)
  if (o.limit) selectHosts(inv, o.limit)

  const pool = new ConnectionPool({
    acceptNewHostKeys: o.acceptNewHostKeys,
    knownHostsFiles: [...new Set([...o.knownHostsFiles, ...localKnownHosts(o.inventories), ...inventoryKnownHosts(inv)])],
  })
  const connect = async (host: string, vars: (n: string) => unknown): Promise<Connection> => {
    const names = ['ansible_host', 'ansible_port', 'ansible_user', 'ansible_ssh_private_key_file', 'ansible_password',
      'ansible_ssh_pass', 'ansible_connection', 'ansible_become_password', 'ansible_ssh_common_args', 'ansible_ssh_extra_args']
    const hv: Record<string, unknown> = {}
    for (const n of names) { const v = vars(n); if (v !== undefined) hv[n] = v }
    if (o.remoteUser && hv.ansible_user === undefined) hv.ansible_user = o.remoteUser
    if (o.privateKeyFile && hv.ansible_ssh_private_key_file === undefined) hv.ansible_ssh_private_key_file = o.privateKeyFile
    if (o.sshPassword && hv.ansible_password === undefined) hv.ansible_password = o.sshPassword
    if (hv.ansible_connection === 'local') return new LocalConnection(host)
    const bastions = inv.groups.has('bastion') ? inv.groupHosts('bastion').filter((b) => b !== host) : []
    const jumpVars = bastions.length ? inv.hostVars(bastions[0]) : undefined
    return pool.get(addressFromVars(host, hv, jumpVars ? { name: bastions[0], vars: jumpVars } : undefined))
  }

  const extra = { ...o.extraVars }
  if (o.becomePassword && extra.ansible_become_password === undefined) extra.ansible_become_password = o.becomePassword
  // Controller files (templates, copy sources) are read once per run, not once per host and task.
  const controllerFiles = new Map<string, Buffer>()
  const readFirst = (candidates: string[], missing: string): Buffer => {
    const f = candidates.find((c) => controllerFiles.has(c) || existsSync(c))
    if (!f) throw new PlaybookError(missing, undefined, `looked in ${candidates.join(', ')}`)
    let data = controllerFiles.get(f)
    if (!data) { data = readFileSync(f); controllerFiles.set(f, data) }
    return data
  }
  const cacheDir = factsCacheDir()
  const artifactsCache = new Map<string, unknown>()
  const runner = new Runner({
    inventory: inv,
    selectHosts: (p) => selectHosts(inv, p),
    taskType: (n) => o.registry.taskType(n),
    parseParams: (t, raw, where) => parseParams(t, raw, where, { templated: true }) as Record<string, unknown>,
    makeScope: (layers, opts) => new VarScope(layers, opts),
    renderTemplate: (source, name, scope, host) => renderTemplate(source, { name, scope, host }),
    readTemplate: (name, roleDir, playbookDir) => readFirst(isAbsolute(name) ? [name] : [
      ...(roleDir ? [join(roleDir, 'templates', name)] : []),
      join(playbookDir, 'templates', name), join(TEMPLATES_DIR, name), join(PACKAGE_ROOT, name),
    ], `template not found: ${name}`).toString('utf8'),
    readLocalFile: (path, baseDirs) => readFirst(isAbsolute(path) ? [path] : [...baseDirs.map((d) => join(d, path)), resolve(path)],
      `file not found on the controller: ${path}`),
    statLocal: (path, baseDirs) => {
      const candidates = isAbsolute(path) ? [path] : [...baseDirs.map((d) => join(d, path)), resolve(path)]
      const f = candidates.find((c) => existsSync(c))
      if (!f) throw new PlaybookError(`file not found on the controller: ${path}`, undefined, `looked in ${candidates.join(', ')}`)
      return localTree(f)
    },
    reads,
    connect,
    extraMagic: (_host, scope) => ({
      // The offline manifest's entry for this host's kube_version and architecture: URLs, sha256, images, packages, package sets.
      kubeseed_artifacts: () => {
        const sc = scope()
        const kubeVersion = String(sc.get('kube_version'))
        const arch = String(sc.has('image_arch') ? sc.get('image_arch') : sc.has('host_architecture') ? sc.get('host_architecture') : 'amd64')
        const extraFiles = sc.has('kubeseed_manifest_files') ? (sc.get('kubeseed_manifest_files') as string[]) : []
        const key = JSON.stringify([kubeVersion, arch, extraFiles])
        if (!artifactsCache.has(key)) {
          const a = artifactsFor({ kubeVersion, arch, manifestFiles: extraFiles })
          artifactsCache.set(key, {
            kube_version: a.kubeVersion, arch, versions: a.versions,
            files: Object.fromEntries(a.files.map((f) => [f.name, f])), images: a.images, packages: a.packages, package_sets: a.packageSets,
          })
        }
        return artifactsCache.get(key)
      },
    }),
    extraVars: extra,
    limit: o.limit,
    tags: o.tags,
    skipTags: o.skipTags,
    check: o.check,
    diff: o.diff,
    forks: o.forks,
    sink: o.sink,
    inventoryFile: resolve(o.inventories[0]),
    factsCache: {
      load: (host) => {
        const f = join(cacheDir, `${host}.json`)
        return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Facts) : undefined
      },
      save: (host, facts) => {
        mkdirSync(cacheDir, { recursive: true })
        writeFileSync(join(cacheDir, `${host}.json`), JSON.stringify(facts))
      },
    },
  })
  let ok: boolean
  try {
    ok = await runner.run(playbook)
  } finally {
    await pool.closeAll()
  }
  onDone?.(runner)
  if (ok) return ExitCode.ok
  return runner.anyUnreachable() ? ExitCode.unreachable : ExitCode.hostFailed
}

/** A playbook that only gathers facts of the hosts matching `pattern`. */
export function factsPlaybook(pattern: string): Playbook {
  return {
    file: '(facts)',
    plays: [{
      name: 'Gather facts', where: {}, hosts: pattern, gatherFacts: true, serial: [], anyErrorsFatal: false,
      strategy: 'linear', vars: {}, roles: [], items: [], handlers: [], baseDir: process.cwd(),
    }],
  }
}
