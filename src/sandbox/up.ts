// `kubeseed sandbox up`: bridge, overlays, per-node files, parallel boot, then wait for sshd and systemd.
// Idempotent: running nodes are left alone, missing ones are created, surplus ones removed.

import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { UsageError } from '../engine/errors.js'
import { ensureRootfs } from './rootfs.js'
import { assertNoNat, assertSubnetFree, ensureBridge, ipForwarding } from './bridge.js'
import { DEFAULT_NAME, DEFAULT_NODES, DEFAULT_SUBNET, DEPLOY_USER } from './defaults.js'
import { renderGroupVarsAll, renderHostsYaml, renderKnownHosts } from './inventory.js'
import { ensureKeyPair } from './keys.js'
import { nodeCgroupDirs, removeCgroupTree } from './cgroups.js'
import { builtinModulesForNodes } from './kernel-modules.js'
import { raiseInotifyLimits } from './inotify-limits.js'
import { mountOverlay, unmountAllUnder } from './mounts.js'
import { bridgeName, checkSandboxName, machineName, nodeName } from './names.js'
import { renderEtcHosts } from './node-config.js'
import { nodeHostKey, prepareNodeRoot } from './node-files.js'
import { releaseOwnership, takeOwnership } from './owner-lock.js'
import { hostReadOnlyPaths, removeNspawnLeftovers, RUNTIME_DIRS, startNspawn } from './nspawn.js'
import { stopNode } from './node-stop.js'
import { isSameProcess, nspawnProcessesFor, processStartTime } from './process-tree.js'
import { waitForNode } from './ready.js'
import type { NodeReadiness } from './ready.js'
import { SandboxError } from './sandbox-error.js'
import { sshTarget } from './ssh.js'
import { bastionAddress, nodeAddress, parseSubnet } from './subnet.js'
import type { Subnet } from './subnet.js'
import { findStateDir, nodePaths, readState, register, registryEntry, statePaths, writeState } from './state.js'
import type { NodeState, SandboxState } from './state.js'
import { planTopology } from './topology.js'
import type { RoleChoice } from './topology.js'

export interface SandboxUpOptions {
  name?: string
  nodes?: number
  subnet?: string
  /** A count (the first N nodes) or node names; default 1 up to four nodes, 3 from five. */
  controlPlanes?: RoleChoice
  /** Default: the control planes. */
  etcd?: RoleChoice
  /** Default: /var/lib/kubeseed/sandbox/<name>. */
  stateDir?: string
  bootTimeoutMs?: number
  log?: (line: string) => void
}

export interface SandboxUpResult {
  state: SandboxState
  inventory: string
  privateKey: string
  knownHosts: string
  nodes: NodeReadiness[]
  /** Nodes booted by this call (empty when everything was already up). */
  booted: string[]
  /** From the first node's start until every node answered. */
  bootMs: number
}

function nodeRunning(stateDir: string, node: NodeState): boolean {
  if (isSameProcess(node.pid, node.startTime)) return true
  const found = nspawnProcessesFor(nodePaths(stateDir, node.name).root)[0]
  if (found === undefined) return false
  node.pid = found
  node.startTime = processStartTime(found)
  return true
}

/** Stops a node and deletes everything it had. */
export async function removeNode(stateDir: string, node: NodeState): Promise<void> {
  const paths = nodePaths(stateDir, node.name)
  await stopNode({ root: paths.root, cgroups: node.cgroups ?? [], pid: node.pid, startTime: node.startTime })
  removeNspawnLeftovers(paths.root, node.machine)
  await unmountAllUnder(paths.dir)
  for (const dir of node.cgroups ?? []) removeCgroupTree(dir)
  rmSync(paths.dir, { recursive: true, force: true })
}

function writeFile(file: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content, { mode })
}

function checkCount(nodes: number, subnet: Subnet): void {
  if (!Number.isInteger(nodes) || nodes < 1) throw new UsageError(`bad node count ${nodes}`, undefined, 'give --nodes 1 or more')
  nodeAddress(subnet, nodes - 1)
}

/** The sandbox's state for this `up`: the nodes kept from `previous` keep their process and cgroups. */
function planState(o: {
  name: string; stateDir: string; subnet: Subnet; rootfs: string; names: string[]
  topology: ReturnType<typeof planTopology>; previous: SandboxState | undefined
}): SandboxState {
  const { name, subnet, previous } = o
  return {
    name,
    stateDir: o.stateDir,
    subnet: subnet.cidr,
    bridge: bridgeName(name),
    bastion: bastionAddress(subnet),
    rootfs: o.rootfs,
    ...o.topology,
    deployUser: DEPLOY_USER,
    deployPassword: previous?.deployPassword ?? randomBytes(12).toString('base64url'),
    nodes: o.names.map((n, i) => {
      const before = previous?.nodes.find((p) => p.name === n)
      return { name: n, machine: machineName(name, n), address: nodeAddress(subnet, i), pid: before?.pid, startTime: before?.startTime, cgroups: before?.cgroups }
    }),
  }
}

/** Mounts a node's root, writes its files and starts it; its pid, start time and cgroups go into `node`. */
async function bootNode(state: SandboxState, node: NodeState, o: {
  prefix: number; etcHosts: string; clientKey: string; builtinModules: ReturnType<typeof builtinModulesForNodes>; log: (line: string) => void
}): Promise<void> {
  const np = nodePaths(state.stateDir, node.name)
  await mountOverlay(state.rootfs, np)
  await prepareNodeRoot({
    root: np.root, name: node.name, address: node.address, prefix: o.prefix, etcHosts: o.etcHosts,
    authorizedKey: o.clientKey, deployUser: state.deployUser, deployPassword: state.deployPassword,
    builtinModules: o.builtinModules,
  })
  const binds = RUNTIME_DIRS.map((inside): [string, string] => [join(np.binds, inside.slice(1).replace(/\//g, '-')), inside])
  for (const [host] of binds) mkdirSync(host, { recursive: true })
  o.log(`booting ${node.name} (${node.address})`)
  // Left over from a node that was killed: its old cgroups would hold stale unit trees.
  for (const dir of node.cgroups ?? []) removeCgroupTree(dir)
  node.cgroups = nodeCgroupDirs(node.machine)
  for (const dir of node.cgroups) removeCgroupTree(dir)
  node.pid = startNspawn({
    root: np.root, machine: node.machine, hostname: node.name, bridge: state.bridge, binds, readOnly: hostReadOnlyPaths(),
  }, node.cgroups, np.console)
  node.startTime = processStartTime(node.pid)
}

/** known_hosts, the inventory and its group_vars/all for the sandbox's nodes. */
function writeInventoryFiles(state: SandboxState, paths: ReturnType<typeof statePaths>): void {
  writeFile(paths.knownHosts, renderKnownHosts(state.nodes.map((n) => ({ name: n.name, address: n.address, publicKey: nodeHostKey(nodePaths(state.stateDir, n.name).root) }))))
  writeFile(paths.hosts, renderHostsYaml(state))
  writeFile(paths.groupVarsAll, renderGroupVarsAll(state), 0o600)
}

function waitForNodes(state: SandboxState, timeoutMs: number): Promise<NodeReadiness[]> {
  return Promise.all(state.nodes.map((n) => waitForNode(n.name, sshTarget(state, n.name), {
    pid: n.pid ?? 0, startTime: n.startTime, consoleLog: nodePaths(state.stateDir, n.name).console,
  }, timeoutMs)))
}

/** One `up`, its options checked. */
interface UpRequest {
  name: string
  subnet: Subnet
  count: number
  stateDir: string
  controlPlanes?: RoleChoice
  etcd?: RoleChoice
  bootTimeoutMs?: number
  log: (line: string) => void
}

/** Nodes of an earlier `up` that this one drops, and all of them when the root filesystem changed. */
async function removeDroppedNodes(previous: SandboxState | undefined, state: SandboxState, running: NodeState[], log: (line: string) => void): Promise<void> {
  if (!previous) return
  if (previous.rootfs !== state.rootfs && running.length > 0) {
    throw new UsageError(`sandbox "${state.name}" runs on an older root filesystem`, undefined, `run \`kubeseed sandbox down --name ${state.name}\` and up again`)
  }
  // Upper layers made on another root filesystem do not fit the new one: those nodes start afresh.
  const stale = previous.rootfs !== state.rootfs ? previous.nodes : previous.nodes.filter((p) => !state.nodes.some((n) => n.name === p.name))
  for (const extra of stale) {
    log(`removing ${extra.name}`)
    await removeNode(state.stateDir, extra)
  }
}

/** The state this `up` converges to (registered under its name) and which of its nodes already run. */
async function planUp(o: UpRequest): Promise<{ state: SandboxState; running: NodeState[] }> {
  const { name, subnet, stateDir, log } = o
  const previous = readState(stateDir)
  if (previous && previous.subnet !== subnet.cidr) {
    throw new UsageError(`sandbox "${name}" runs on ${previous.subnet}, not ${subnet.cidr}`, undefined,
      `run \`kubeseed sandbox down --name ${name}\` first to change its subnet`)
  }
  await assertSubnetFree(bridgeName(name), subnet)
  const rootfs = await ensureRootfs(log)
  raiseInotifyLimits(log)
  const names = Array.from({ length: o.count }, (_, i) => nodeName(i))
  const topology = planTopology(names, o.controlPlanes, o.etcd)
  mkdirSync(stateDir, { recursive: true, mode: 0o700 })
  register(name, stateDir)
  const state = planState({ name, stateDir, subnet, rootfs, names, topology, previous })
  const running = state.nodes.filter((n) => nodeRunning(stateDir, n))
  await removeDroppedNodes(previous, state, running, log)
  return { state, running }
}

/** The bridge (checked for NAT) and the key the nodes trust; the state is saved before any node boots. */
async function prepareBridgeAndKey(state: SandboxState, prefix: number): Promise<string> {
  await ensureBridge(state.bridge, state.bastion, prefix)
  await assertNoNat(state.bridge, state.subnet)
  const clientKey = await ensureKeyPair(statePaths(state.stateDir).privateKey, `kubeseed-sandbox-${state.name}`)
  writeState(state)
  return clientKey
}

/** Boots the nodes not running, in parallel (running ones get the new /etc/hosts), then writes the inventory. */
async function bootMissing(state: SandboxState, running: NodeState[], o: { prefix: number; clientKey: string; log: (line: string) => void }): Promise<{ booted: NodeState[]; startedAt: number }> {
  const etcHosts = renderEtcHosts(state.nodes, state.bastion)
  const booted = state.nodes.filter((n) => !running.includes(n))
  const builtinModules = builtinModulesForNodes()
  const startedAt = Date.now()
  await Promise.all(state.nodes.map(async (node) => {
    if (running.includes(node)) {
      // Membership may have changed: the running node's name resolution follows.
      writeFile(join(nodePaths(state.stateDir, node.name).root, 'etc/hosts'), etcHosts)
      return
    }
    await bootNode(state, node, { ...o, etcHosts, builtinModules })
  }))
  writeState(state)
  writeInventoryFiles(state, statePaths(state.stateDir))
  return { booted, startedAt }
}

/** Nodes that came up degraded are logged; forwarding turned on meanwhile is refused (the nodes must not reach out). */
function checkAfterBoot(readiness: NodeReadiness[], forwardingBefore: string, log: (line: string) => void): void {
  for (const r of readiness) {
    if (r.status === 'degraded') log(`${r.node} is degraded: failed units ${r.failedUnits.join(', ')}`)
  }
  if (ipForwarding() !== forwardingBefore) {
    throw new SandboxError(`net.ipv4.ip_forward changed from ${forwardingBefore} to ${ipForwarding()} while the sandbox came up`, undefined,
      'something on this machine turns forwarding on; the sandbox must not forward: set it back with sysctl')
  }
}

async function converge(o: UpRequest): Promise<SandboxUpResult> {
  const { state, running } = await planUp(o)
  const forwarding = ipForwarding()
  const clientKey = await prepareBridgeAndKey(state, o.subnet.prefix)
  const { booted, startedAt } = await bootMissing(state, running, { prefix: o.subnet.prefix, clientKey, log: o.log })
  const readiness = await waitForNodes(state, o.bootTimeoutMs ?? 60_000 + 6_000 * booted.length)
  const bootMs = Date.now() - startedAt
  checkAfterBoot(readiness, forwarding, o.log)
  const paths = statePaths(state.stateDir)
  o.log(`sandbox ${state.name}: ${state.nodes.length} nodes up in ${(bootMs / 1000).toFixed(1)} s; inventory ${paths.hosts}`)
  return {
    state, inventory: paths.hosts, privateKey: paths.privateKey, knownHosts: paths.knownHosts,
    nodes: readiness, booted: booted.map((n) => n.name), bootMs,
  }
}

export async function sandboxUp(opts: SandboxUpOptions = {}): Promise<SandboxUpResult> {
  const name = checkSandboxName(opts.name ?? DEFAULT_NAME)
  const subnet = parseSubnet(opts.subnet ?? DEFAULT_SUBNET)
  const count = opts.nodes ?? DEFAULT_NODES
  checkCount(count, subnet)
  const stateDir = resolve(opts.stateDir ?? findStateDir(name) ?? registryEntry(name))
  const tookNow = takeOwnership(name)
  try {
    return await converge({
      name, subnet, count, stateDir, controlPlanes: opts.controlPlanes, etcd: opts.etcd, bootTimeoutMs: opts.bootTimeoutMs, log: opts.log ?? (() => {}),
    })
  } catch (e) {
    // An `up` refused before it made anything leaves the name free.
    if (tookNow && findStateDir(name) === undefined) releaseOwnership(name)
    throw e
  }
}
