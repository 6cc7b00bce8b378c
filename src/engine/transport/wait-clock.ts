// How long the controller waited on one host: wall time while at least one connect or exec to it was in
// flight (overlapping waits count once), for `-v`'s controller-vs-host split.

import { performance } from 'node:perf_hooks'

export class WaitClock {
  private inFlight = 0
  private since = 0
  private total = 0

  /** Times `work` as waiting on the host. */
  async time<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight++ === 0) this.since = performance.now()
    try {
      return await work()
    } finally {
      if (--this.inFlight === 0) this.total += performance.now() - this.since
    }
  }

  /** Milliseconds waited so far, including a wait still in flight. */
  get ms(): number {
    return this.total + (this.inFlight ? performance.now() - this.since : 0)
  }
}
