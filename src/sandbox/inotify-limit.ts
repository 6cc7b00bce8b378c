// Every sandbox node is a full systemd with its own containerd, and all of them run as the bastion's root, so
// they share one per-user inotify instance limit of the bastion's kernel. Its usual default (128) lasts for about
// a dozen nodes across all sandboxes; beyond that containerd's CRI plugin cannot watch its CNI directory and does
// not load, and kubeadm's preflight finds no CRI image service. kind's known issues raise the same limit to 512.

import { readFileSync, writeFileSync } from 'node:fs'

export const INOTIFY_INSTANCES_FILE = '/proc/sys/fs/inotify/max_user_instances'
/** Enough for several sandboxes of several nodes side by side. */
export const INOTIFY_INSTANCES_WANTED = 1024

/** The value to write, or undefined when the current limit is high enough already (never lowered). */
export function raisedInotifyLimit(current: number, wanted = INOTIFY_INSTANCES_WANTED): number | undefined {
  return Number.isFinite(current) && current >= wanted ? undefined : wanted
}

/** Raises the bastion's limit when it is below what sandboxes need; says so through `log`. */
export function ensureInotifyInstances(log: (line: string) => void, file = INOTIFY_INSTANCES_FILE): void {
  const current = Number(readFileSync(file, 'utf8').trim())
  const target = raisedInotifyLimit(current)
  if (target === undefined) return
  writeFileSync(file, `${target}\n`)
  log(`raised fs.inotify.max_user_instances from ${current} to ${target}: every sandbox node's systemd and containerd share it`)
}
