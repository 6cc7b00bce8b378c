// Hosts a run leaves held: a play sets the fact `kubeseed_hold` to a message while it keeps a host out of
// service (the upgrade, while a node is cordoned) and to "" once it has put it back. Whatever stops the run —
// a failure, a lost host, Ctrl-C — the recap names the hosts still held, so none is left behind silently.

import type { HostState } from './host-state.js'

export const HOLD_FACT = 'kubeseed_hold'

export function heldHosts(states: HostState[]): Record<string, string> {
  const held: Record<string, string> = {}
  for (const s of states) {
    const why = s.registered[HOLD_FACT]
    if (typeof why === 'string' && why.trim()) held[s.name] = why.trim()
  }
  return held
}
