// What the runner knows about each host over a run (as Ansible's HostState and stats keep it): facts,
// registered values, failed / unreachable / ended, pending handlers, its connection and its recap counts.

import type { HostRecap, Status } from '../report/events.js'
import type { Facts } from '../task.js'
import type { Connection } from '../transport/types.js'
import type { Scope } from '../vars/scope.js'

export interface HostState {
  name: string
  facts: Facts
  factsGathered: boolean
  /** set_fact and registered values; every write counts in `registeredVersion`. */
  registered: Record<string, unknown>
  registeredVersion: number
  failed: boolean
  unreachable: boolean
  ended: boolean
  failure?: string
  /** The failure was a mistake in the input (template, variable, expression, controller file), not the host's. */
  inputError?: boolean
  notified: Set<string>
  /** The task the host was running when the run was interrupted (SIGINT): the host stopped in it. */
  interruptedIn?: string
  recap: HostRecap
  conn?: Connection
  playScope?: Scope
  /** What `hostvars[host]` shows: the host's variables without any play's (no role defaults, play or role vars). */
  hostScope?: Scope
  /** The `registeredVersion` and facts `hostScope` was made with: it is made again once either changed. */
  hostScopeOf?: { registeredVersion: number; facts: Facts }
  /** The `HostStates.registeredEpoch` whose hostvars `playScope`'s rendered values saw. */
  playScopeEpoch?: number
}

function emptyRecap(): HostRecap {
  return { ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: false, rescued: 0, ignored: 0, roundTrips: 0, hostWaitMs: 0, controllerMs: 0 }
}

/** Recap counts for one told result: an ignored failure counts as ok and ignored; changed counts as ok too. */
export function countResult(recap: HostRecap, status: Status, ignored?: boolean): void {
  if (status === 'failed') { if (ignored) { recap.ignored++; recap.ok++ } }
  else if (status === 'changed') { recap.changed++; recap.ok++ }
  else if (status === 'skipped') recap.skipped++
  else if (status === 'ok') recap.ok++
}

/** A record whose writes count in the host's `registeredVersion`, so views of it know when they are stale. */
function countedWrites(state: HostState, counted: () => void): Record<string, unknown> {
  const count = () => { state.registeredVersion++; counted() }
  return new Proxy<Record<string, unknown>>({}, {
    set: (t, k, v) => { count(); return Reflect.set(t, k, v) },
    deleteProperty: (t, k) => { count(); return Reflect.deleteProperty(t, k) },
  })
}

export class HostStates {
  private readonly states = new Map<string, HostState>()
  /** Counts set_fact and register writes on any host: what hostvars shows changed. */
  registeredEpoch = 0

  /** The host's state, made on first use. */
  get(host: string): HostState {
    let s = this.states.get(host)
    if (!s) {
      const state: HostState = {
        name: host, facts: {}, factsGathered: false, registered: {}, registeredVersion: 0, failed: false, unreachable: false, ended: false,
        notified: new Set(), recap: emptyRecap(),
      }
      state.registered = countedWrites(state, () => { this.registeredEpoch++ })
      this.states.set(host, state)
      s = state
    }
    return s
  }

  all(): HostState[] {
    return [...this.states.values()]
  }

  /** Neither failed, unreachable nor ended. */
  live(host: string): boolean {
    const s = this.get(host)
    return !s.failed && !s.unreachable && !s.ended
  }

  /** Failed or unreachable. */
  down(host: string): boolean {
    const s = this.get(host)
    return s.failed || s.unreachable
  }

  factsOf(host: string): Facts | undefined {
    const s = this.states.get(host)
    return s?.factsGathered ? s.facts : undefined
  }

  /** A failed host runs again (rescue, always); its failure leaves the recap. */
  unfail(host: string): void {
    const s = this.get(host)
    if (s.failed) { s.failed = false; s.recap.failed--; s.failure = undefined }
  }
}
