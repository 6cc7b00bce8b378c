// Booting a node: systemd-nspawn runs the node's own systemd as PID 1 in fresh namespaces, its network
// namespace joined to the sandbox bridge by a veth pair.

import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { quote, shellJoin } from '../engine/quote.js'
import { SandboxError } from './sandbox-error.js'

export interface NspawnNode {
  root: string
  machine: string
  hostname: string
  bridge: string
  /** Host directory -> path inside the node. */
  binds: Array<[string, string]>
  /** Host paths shown read-only at the same place inside the node. */
  readOnly: string[]
}

/** Directories a container runtime overlay-mounts into; overlay on the node's overlay root fails, so these are plain host dirs. */
export const RUNTIME_DIRS = ['/var/lib/containerd', '/var/lib/containers']

export function nspawnArgs(node: NspawnNode): string[] {
  return [
    '--boot',
    // This machine's PID 1 is not systemd: without these two, nspawn needs a system bus and dies.
    '--keep-unit',
    '--register=no',
    `--directory=${node.root}`,
    `--machine=${node.machine}`,
    `--hostname=${node.hostname}`,
    `--network-bridge=${node.bridge}`,
    // Boot messages go to the log file; the node keeps its own /etc/resolv.conf and journal.
    '--console=read-only',
    '--resolv-conf=off',
    '--link-journal=no',
    '--timezone=off',
    ...node.binds.map(([host, inside]) => `--bind=${host}:${inside}`),
    ...node.readOnly.map((p) => `--bind-ro=${p}`),
  ]
}

/** Host paths the node should see read-only when this machine has them (kernel modules for modprobe). */
export function hostReadOnlyPaths(): string[] {
  return ['/lib/modules'].filter((p) => existsSync(p))
}

/**
 * The command that moves itself into the node's cgroups, then becomes systemd-nspawn (same pid), so
 * nspawn and everything it starts live in those cgroups from the first instruction.
 */
export function nspawnLauncher(node: NspawnNode, cgroupDirs: string[]): string[] {
  const joins = cgroupDirs.map((d) => `echo $$ > ${quote(join(d, 'cgroup.procs'))}`)
  return ['/bin/sh', '-c', [...joins, `exec ${shellJoin(['systemd-nspawn', ...nspawnArgs(node)])}`].join(' && ')]
}

/** Starts systemd-nspawn detached from this process (it outlives `sandbox up`); returns its pid. */
export function startNspawn(node: NspawnNode, cgroupDirs: string[], consoleLog: string): number {
  for (const d of cgroupDirs) mkdirSync(d, { recursive: true })
  const [cmd, ...args] = nspawnLauncher(node, cgroupDirs)
  const log = openSync(consoleLog, 'a')
  try {
    const child = spawn(cmd, args, { detached: true, stdio: ['ignore', log, log] })
    child.on('error', () => {})
    child.unref()
    if (!child.pid) {
      throw new SandboxError(`cannot start systemd-nspawn for ${node.machine}`, { host: node.hostname }, 'install the Debian package systemd-container')
    }
    return child.pid
  } finally {
    closeSync(log)
  }
}

/**
 * Files systemd-nspawn keeps under /run while a node runs (an image lock named after the root's device
 * and inode, a mount-propagation directory). It removes them on a clean exit; after a hard kill they stay.
 * Call while the node's root is still mounted, with the node stopped.
 */
export function removeNspawnLeftovers(root: string, machine: string): void {
  const paths = [`/run/systemd/nspawn/propagate/${machine}`]
  try {
    const st = statSync(root)
    paths.push(`/run/systemd/nspawn/locks/inode-${st.dev}:${st.ino}`)
  } catch { /* root already gone */ }
  for (const p of paths) rmSync(p, { recursive: true, force: true })
}
