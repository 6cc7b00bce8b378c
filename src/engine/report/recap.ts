// The PLAY RECAP lines, like Ansible's.

import type { HostRecap } from './events.js'

export function recapLines(hosts: Record<string, HostRecap>, verbose: boolean): string[] {
  const names = Object.keys(hosts)
  const width = Math.max(0, ...names.map((n) => n.length))
  return names.map((n) => {
    const h = hosts[n]
    const trips = verbose ? `  round_trips=${h.roundTrips}` : ''
    return `${n.padEnd(width)} : ok=${h.ok}  changed=${h.changed}  unreachable=${h.unreachable ? 1 : 0}  failed=${h.failed}  ` +
      `skipped=${h.skipped}  rescued=${h.rescued}  ignored=${h.ignored}${trips}`
  })
}
