// The PLAY RECAP lines, like Ansible's.

import type { HostRecap, RunTiming } from './events.js'

const secs = (ms: number): string => `${(ms / 1000).toFixed(2)}s`

export function recapLines(hosts: Record<string, HostRecap>, verbose: boolean): string[] {
  const names = Object.keys(hosts)
  const width = Math.max(0, ...names.map((n) => n.length))
  return names.map((n) => {
    const h = hosts[n]
    const trips = verbose ? `  round_trips=${h.roundTrips}  host_wait=${secs(h.hostWaitMs)}  controller=${secs(h.controllerMs)}` : ''
    return `${n.padEnd(width)} : ok=${h.ok}  changed=${h.changed}  unreachable=${h.unreachable ? 1 : 0}  failed=${h.failed}  ` +
      `skipped=${h.skipped}  rescued=${h.rescued}  ignored=${h.ignored}${trips}`
  })
}

/** -v's last line: how long the start took and what the controller itself cost. */
export function timingLine(t: RunTiming): string {
  const start = t.firstHandshakeMs === undefined ? 'no SSH session' : `first SSH handshake ${t.firstHandshakeMs} ms after process start`
  return `timing: ${start}; controller CPU ${secs(t.controllerCpuMs)}`
}

/** Which hosts the run did anything on beyond reading facts: what a day-2 run promises to keep small. */
export function touchedLine(touched: string[], hosts: number): string {
  const list = touched.length > 0 ? `${touched.join(', ')} ` : 'no host '
  return `touched: ${list}(${touched.length} of ${hosts} host${hosts === 1 ? '' : 's'})`
}

/** Hosts left held, grouped by why: one line per reason, the hosts named first. */
export function heldLines(held: Record<string, string>): string[] {
  const byWhy = new Map<string, string[]>()
  for (const [host, why] of Object.entries(held)) byWhy.set(why, [...(byWhy.get(why) ?? []), host])
  return [...byWhy].map(([why, hosts]) => `held: ${hosts.join(', ')}: ${why}`)
}
