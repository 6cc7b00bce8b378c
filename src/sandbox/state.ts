// Where a sandbox keeps its files, and state.json: what `down`, `ls` and `ssh` need to find it again.
// Every sandbox is registered under SANDBOX_HOME/<name>: the state directory itself, or a symlink to
// the one the user chose, so `ls` and `down --name` find it without being told the path.

import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { SandboxError } from './sandbox-error.js'

export const SANDBOX_HOME = process.env.KUBESEED_SANDBOX_HOME ?? '/var/lib/kubeseed/sandbox'

export interface NodeState {
  name: string
  machine: string
  address: string
  /** systemd-nspawn's pid and its start time (clock ticks since boot), so a reused pid is never mistaken for it. */
  pid?: number
  startTime?: number
  /** The node's own cgroups (one per hierarchy), removed by `down`. */
  cgroups?: string[]
}

export interface SandboxState {
  name: string
  stateDir: string
  subnet: string
  bridge: string
  bastion: string
  rootfs: string
  controlPlanes: string[]
  etcd: string[]
  workers: string[]
  deployUser: string
  deployPassword: string
  nodes: NodeState[]
}

/** Files inside a state directory. */
export function statePaths(stateDir: string) {
  return {
    state: join(stateDir, 'state.json'),
    inventory: join(stateDir, 'inventory'),
    hosts: join(stateDir, 'inventory', 'hosts.yaml'),
    groupVarsAll: join(stateDir, 'inventory', 'group_vars', 'all.yaml'),
    privateKey: join(stateDir, 'id_ed25519'),
    knownHosts: join(stateDir, 'known_hosts'),
    nodes: join(stateDir, 'nodes'),
  }
}

/** Per-node directories: overlay layers, the mount point, and plain directories bound where runtimes overlay-mount. */
export function nodePaths(stateDir: string, node: string) {
  const dir = join(stateDir, 'nodes', node)
  return {
    dir,
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    root: join(dir, 'root'),
    binds: join(dir, 'binds'),
    console: join(dir, 'console.log'),
  }
}

export function registryEntry(name: string): string {
  return join(SANDBOX_HOME, name)
}

/** The state directory of a registered sandbox, or undefined when none is registered under that name. */
export function findStateDir(name: string): string | undefined {
  const entry = registryEntry(name)
  let stat
  try { stat = lstatSync(entry) } catch { return undefined }
  if (stat.isSymbolicLink()) return resolve(SANDBOX_HOME, readlinkSync(entry))
  return stat.isDirectory() ? entry : undefined
}

export function register(name: string, stateDir: string): void {
  mkdirSync(SANDBOX_HOME, { recursive: true })
  const entry = registryEntry(name)
  const known = findStateDir(name)
  if (known !== undefined && resolve(known) !== resolve(stateDir)) {
    throw new SandboxError(`sandbox "${name}" already exists with state in ${known}`, undefined,
      `run \`kubeseed sandbox down --name ${name}\` first, or pick another name`)
  }
  if (known === undefined && resolve(entry) !== resolve(stateDir)) {
    rmSync(entry, { force: true })
    symlinkSync(resolve(stateDir), entry)
  }
}

export function unregister(name: string): void {
  const entry = registryEntry(name)
  try {
    if (lstatSync(entry).isSymbolicLink()) rmSync(entry)
  } catch { /* already gone */ }
}

export function registeredNames(): string[] {
  if (!existsSync(SANDBOX_HOME)) return []
  return readdirSync(SANDBOX_HOME).filter((n) => !n.startsWith('.') && !n.endsWith('.lock') && findStateDir(n) !== undefined).sort()
}

export function readState(stateDir: string): SandboxState | undefined {
  const file = statePaths(stateDir).state
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SandboxState
  } catch (e) {
    throw new SandboxError(`cannot read ${file}: ${(e as Error).message}`, { file }, 'remove the sandbox with `kubeseed sandbox down` and bring it up again')
  }
}

export function writeState(state: SandboxState): void {
  const file = statePaths(state.stateDir).state
  const tmp = `${file}.tmp`
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, file)
}
