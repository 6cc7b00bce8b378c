// Finding and ending a node's processes. A node is a systemd-nspawn process whose child is the node's
// PID 1; killing nspawn alone would orphan the node, so its whole tree is collected before it is signalled.

import { readFileSync, readdirSync } from 'node:fs'

interface ProcStat { pid: number; ppid: number; startTime: number; zombie: boolean }

function readStat(pid: number): ProcStat | undefined {
  let text: string
  try { text = readFileSync(`/proc/${pid}/stat`, 'utf8') } catch { return undefined }
  // The command name is in parentheses and may hold spaces: fields are counted after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ')
  return { pid, ppid: Number(rest[1]), startTime: Number(rest[19]), zombie: rest[0] === 'Z' }
}

export function processStartTime(pid: number): number | undefined {
  return readStat(pid)?.startTime
}

/** True when `pid` runs and is the same process that was recorded (same start time). */
export function isSameProcess(pid: number | undefined, startTime: number | undefined): boolean {
  if (!pid) return false
  const stat = readStat(pid)
  return stat !== undefined && !stat.zombie && (startTime === undefined || stat.startTime === startTime)
}

function allProcesses(): ProcStat[] {
  const out: ProcStat[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = readStat(Number(entry))
    if (stat) out.push(stat)
  }
  return out
}

/** `pid` and all its descendants, parents before children. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const p of allProcesses()) {
    const list = children.get(p.ppid) ?? []
    list.push(p.pid)
    children.set(p.ppid, list)
  }
  const tree: number[] = []
  const queue = [pid]
  while (queue.length > 0) {
    const next = queue.shift() as number
    tree.push(next)
    queue.push(...(children.get(next) ?? []))
  }
  return tree
}

function cmdline(pid: number): string[] {
  try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean) } catch { return [] }
}

/** systemd-nspawn processes whose root directory is `root`: finds a node even when its pid was not recorded. */
export function nspawnProcessesFor(root: string): number[] {
  return allProcesses()
    .filter((p) => {
      const argv = cmdline(p.pid)
      return argv[0]?.endsWith('systemd-nspawn') && argv.includes(`--directory=${root}`)
    })
    .map((p) => p.pid)
}

/** A zombie has ended; only its parent's wait is missing. */
function alive(pids: number[]): number[] {
  return pids.filter((p) => {
    const stat = readStat(p)
    return stat !== undefined && !stat.zombie
  })
}

function signal(pids: number[], sig: NodeJS.Signals): void {
  for (const p of pids) {
    try { process.kill(p, sig) } catch { /* already gone */ }
  }
}

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (alive(pids).length === 0) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return alive(pids).length === 0
}

/**
 * Stops a node: SIGTERM to systemd-nspawn makes it power the node off cleanly; whatever is left after
 * `graceMs` is killed, children first (killing the node's PID 1 ends its whole PID namespace).
 */
export async function stopProcessTree(pid: number, graceMs = 20_000): Promise<void> {
  const tree = processTree(pid)
  signal([pid], 'SIGTERM')
  if (await waitGone(tree, graceMs)) return
  signal(alive(tree).slice(1), 'SIGKILL')
  signal([pid], 'SIGKILL')
  await waitGone(tree, 10_000)
}

/** SIGKILL, then wait until the processes are gone. */
export async function killProcesses(pids: number[]): Promise<void> {
  signal(pids, 'SIGKILL')
  await waitGone(pids, 10_000)
}
