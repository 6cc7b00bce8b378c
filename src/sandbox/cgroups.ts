// Each node gets a cgroup of its own before systemd-nspawn starts. Without a systemd on the bastion to
// give it a scope, nspawn puts the node's systemd in "<its own cgroup>/payload": every node would share
// that one tree, and their units would create and delete each other's cgroups (units failing at random
// with "Failed at step CGROUP"). Only the hierarchies systemd writes to are concerned: name=systemd and cgroup2.

import { existsSync, readFileSync, readdirSync, rmdirSync } from 'node:fs'
import { join } from 'node:path'

interface Hierarchy { mount: string; key: string }

function hierarchies(): Hierarchy[] {
  const out: Hierarchy[] = []
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [pre, post] = line.split(' - ')
    if (!post) continue
    const [fstype, , superOptions] = post.split(' ')
    const mount = pre.split(' ')[4]
    if (fstype === 'cgroup2') out.push({ mount, key: '' })
    else if (fstype === 'cgroup' && superOptions?.split(',').includes('name=systemd')) out.push({ mount, key: 'name=systemd' })
  }
  return out
}

/** This process's cgroup path in the hierarchy whose /proc/self/cgroup controller field is `key`. */
function ownPath(key: string): string | undefined {
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line)
    if (m && m[1] === key) return m[2]
  }
  return undefined
}

/** The cgroup directories a node's nspawn should run in: beside nothing, below this process's own cgroup. */
export function nodeCgroupDirs(machine: string): string[] {
  const dirs: string[] = []
  for (const h of hierarchies()) {
    const own = ownPath(h.key)
    if (own !== undefined) dirs.push(join(h.mount, own, `kubeseed-${machine}`))
  }
  return dirs
}

/** Nodes of a sandbox that still have cgroups here, found by name: what is left of a sandbox whose state is gone. */
export function nodesWithCgroups(sandbox: string): string[] {
  const pattern = new RegExp(`^kubeseed-${sandbox.replace(/[^a-z0-9-]/g, '')}-(node\\d+)$`)
  const found = new Set<string>()
  for (const h of hierarchies()) {
    const own = ownPath(h.key)
    if (own === undefined) continue
    const parent = join(h.mount, own)
    for (const entry of existsSync(parent) ? readdirSync(parent) : []) {
      const m = pattern.exec(entry)
      if (m) found.add(m[1])
    }
  }
  return [...found]
}

/** Removes a cgroup and the ones below it, deepest first; a cgroup that still has processes stays (rmdir fails). */
export function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) removeCgroupTree(join(dir, entry.name))
  }
  try { rmdirSync(dir) } catch { /* busy: processes left */ }
}

/** Every process in a cgroup and the ones below it: a node's processes, even once its nspawn is gone. */
export function cgroupProcesses(dir: string): number[] {
  if (!existsSync(dir)) return []
  const pids: number[] = []
  try {
    pids.push(...readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number))
  } catch { /* removed meanwhile */ }
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) pids.push(...cgroupProcesses(join(dir, entry.name)))
  }
  return [...new Set(pids)]
}
