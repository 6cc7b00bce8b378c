// `kubeseed sandbox down`: stop every node, unmount every layer, delete the bridge and its veths, and
// remove the state, leaving nothing behind. Works from what is on the machine, so a half-built sandbox
// (an `up` that failed midway) is removed as well.

import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { deleteBridge } from './bridge.js'
import { nodeCgroupDirs, nodesWithCgroups, removeCgroupTree } from './cgroups.js'
import { DEFAULT_NAME } from './defaults.js'
import { mountsUnder, unmountAllUnder } from './mounts.js'
import { bridgeName, checkSandboxName, machineName } from './names.js'
import { removeNspawnLeftovers } from './nspawn.js'
import { releaseOwnership, takeOwnership } from './owner-lock.js'
import { stopNode } from './node-stop.js'
import { SandboxError } from './sandbox-error.js'
import { findStateDir, nodePaths, readState, registryEntry, statePaths, unregister } from './state.js'

export interface SandboxDownOptions {
  name?: string
  stateDir?: string
  log?: (line: string) => void
}

export interface SandboxDownResult {
  /** False when there was no such sandbox. */
  removed: boolean
  stoppedNodes: string[]
}

function nodeDirs(stateDir: string): string[] {
  const dir = statePaths(stateDir).nodes
  return existsSync(dir) ? readdirSync(dir) : []
}

export async function sandboxDown(opts: SandboxDownOptions = {}): Promise<SandboxDownResult> {
  const log = opts.log ?? (() => {})
  const name = checkSandboxName(opts.name ?? DEFAULT_NAME)
  const stateDir = resolve(opts.stateDir ?? findStateDir(name) ?? registryEntry(name))
  const bridge = bridgeName(name)

  takeOwnership(name)
  let state
  try { state = readState(stateDir) } catch { state = undefined }
  const names = new Set([...(state?.nodes.map((n) => n.name) ?? []), ...nodeDirs(stateDir), ...nodesWithCgroups(name)])

  const existed = state !== undefined || existsSync(stateDir) || existsSync(`/sys/class/net/${bridge}`) || names.size > 0
  const stopped: string[] = []
  const cgroupsOf = (node: string) => [...new Set([
    ...(state?.nodes.find((n) => n.name === node)?.cgroups ?? []), ...nodeCgroupDirs(machineName(name, node)),
  ])]
  await Promise.all([...names].map(async (node) => {
    const recorded = state?.nodes.find((n) => n.name === node)
    const root = nodePaths(stateDir, node).root
    if (await stopNode({ root, cgroups: cgroupsOf(node), pid: recorded?.pid, startTime: recorded?.startTime })) {
      log(`stopped ${node}`)
      stopped.push(node)
    }
    removeNspawnLeftovers(root, machineName(name, node))
  }))
  await unmountAllUnder(stateDir)
  await deleteBridge(bridge)
  for (const node of names) for (const dir of cgroupsOf(node)) removeCgroupTree(dir)

  if (mountsUnder(stateDir).length > 0) {
    throw new SandboxError(`mounts are left under ${stateDir}`, undefined, 'unmount them by hand before deleting the state')
  }
  // Only what `up` created is deleted: a state directory the user chose may hold other files.
  const paths = statePaths(stateDir)
  for (const p of [paths.state, paths.inventory, paths.privateKey, `${paths.privateKey}.pub`, paths.knownHosts, paths.nodes, `${paths.state}.tmp`]) {
    rmSync(p, { recursive: true, force: true })
  }
  try { rmdirSync(stateDir) } catch { /* not empty (user files) or already gone */ }
  unregister(name)
  if (existed) log(`sandbox ${name} removed`)
  releaseOwnership(name)
  return { removed: existed, stoppedNodes: stopped.sort() }
}
