// `kubeseed sandbox down`: stop every node, unmount every layer, delete the bridge and its veths, and
// remove the state, leaving nothing behind. Works from what is on the machine, so a half-built sandbox
// (an `up` that failed midway) is removed as well.

import { existsSync, readdirSync, rmSync, rmdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { deleteBridge } from './bridge.js'
import { nodeCgroupDirs, removeCgroupTree } from './cgroups.js'
import { DEFAULT_NAME } from './defaults.js'
import { withLock } from './lock.js'
import { mountsUnder, unmountAllUnder } from './mounts.js'
import { bridgeName, checkSandboxName, machineName } from './names.js'
import { isSameProcess, nspawnProcessesFor, stopProcessTree } from './process-tree.js'
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

  return withLock(`${registryEntry(name)}.lock`, async () => {
    let state
    try { state = readState(stateDir) } catch { state = undefined }
    const existed = state !== undefined || existsSync(stateDir) || existsSync(`/sys/class/net/${bridge}`)
    const names = new Set([...(state?.nodes.map((n) => n.name) ?? []), ...nodeDirs(stateDir)])

    const stopped: string[] = []
    await Promise.all([...names].map(async (node) => {
      const pids = new Set(nspawnProcessesFor(nodePaths(stateDir, node).root))
      const recorded = state?.nodes.find((n) => n.name === node)
      if (recorded?.pid && isSameProcess(recorded.pid, recorded.startTime)) pids.add(recorded.pid)
      if (pids.size === 0) return
      log(`stopping ${node}`)
      await Promise.all([...pids].map((pid) => stopProcessTree(pid)))
      stopped.push(node)
    }))
    await unmountAllUnder(stateDir)
    await deleteBridge(bridge)
    for (const node of names) {
      const recorded = state?.nodes.find((n) => n.name === node)?.cgroups ?? []
      for (const dir of new Set([...recorded, ...nodeCgroupDirs(machineName(name, node))])) removeCgroupTree(dir)
    }

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
    return { removed: existed, stoppedNodes: stopped.sort() }
  })
}
