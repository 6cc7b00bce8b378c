// Each node's systemd, journald and udev hold inotify instances of their own, all counted against root on
// this machine. Debian's default of 128 instances runs out with a few sandboxes up ("Too many open files"
// at a node's boot), so the sandbox raises the limits it needs before booting, and says so.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const NEEDED: Array<[string, number]> = [
  ['fs/inotify/max_user_instances', 1024],
  ['fs/inotify/max_user_watches', 524288],
]

export function raiseInotifyLimits(log: (s: string) => void, procSys = '/proc/sys'): void {
  for (const [key, needed] of NEEDED) {
    const file = join(procSys, key)
    const now = Number(readFileSync(file, 'utf8').trim())
    if (now >= needed) continue
    writeFileSync(file, `${needed}\n`)
    log(`raised ${key.replace(/\//g, '.')} from ${now} to ${needed} (each node's systemd needs its own)`)
  }
}
