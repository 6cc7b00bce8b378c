// --output json: one JSON event per line; the last line is the recap.

import type { EventSink, RunEvent } from './events.js'

export class JsonReporter implements EventSink {
  constructor(private readonly write: (line: string) => void) {}

  emit(e: RunEvent): void {
    if (e.type === 'recap') {
      const hosts: Record<string, unknown> = {}
      for (const [n, h] of Object.entries(e.hosts)) {
        hosts[n] = { ok: h.ok, changed: h.changed, failed: h.failed, skipped: h.skipped, unreachable: h.unreachable,
          rescued: h.rescued, ignored: h.ignored, round_trips: h.roundTrips, host_wait_ms: h.hostWaitMs, controller_ms: h.controllerMs }
      }
      const timing = { first_handshake_ms: e.timing.firstHandshakeMs ?? null, controller_cpu_ms: e.timing.controllerCpuMs }
      this.write(JSON.stringify({ type: 'recap', ok: e.ok, ...(e.interrupted ? { interrupted: true } : {}), hosts, failures: e.failures, held: e.held, seconds: e.seconds, timing, touched: e.touched, inventory_hosts: e.inventoryHosts }))
      return
    }
    this.write(JSON.stringify(e))
  }
}
