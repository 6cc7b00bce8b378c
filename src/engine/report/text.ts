// Plain line output, for pipes and logs (and for terminals with --no-progress).

import type { EventSink, RunEvent } from './events.js'
import { heldLines, recapLines, timingLine, touchedLine } from './recap.js'

export class TextReporter implements EventSink {
  constructor(private readonly write: (line: string) => void, private readonly verbose: number, private readonly showDiff: boolean) {}

  emit(e: RunEvent): void {
    const w = this.write
    switch (e.type) {
      case 'play':
        w(`\nPLAY [${e.name}] (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'})`)
        break
      case 'task':
        w(`\nTASK [${e.name}]${this.verbose && e.file ? ` ${e.file}:${e.line ?? ''}` : ''}`)
        break
      case 'handler':
        w(`\nRUNNING HANDLER [${e.name}]`)
        break
      case 'result': {
        const item = e.item !== undefined ? ` => (item=${e.item})` : ''
        const via = e.delegatedTo ? ` -> ${e.delegatedTo}` : ''
        if (e.status === 'failed') {
          w(`${e.ignored ? 'failed (ignored)' : 'fatal'}: [${e.host}${via}]${item}: ${e.msg ?? 'failed'}`)
        } else if (e.status === 'unreachable') {
          w(`unreachable: [${e.host}]: ${e.msg ?? ''}`)
        } else {
          const detail = (e.status === 'changed' || e.display || this.verbose > 0) && e.msg ? `: ${e.msg}` : ''
          w(`${e.status}: [${e.host}${via}]${item}${detail}`)
        }
        if (e.urls && this.verbose > 0) for (const u of e.urls) w(`  url: ${u}`)
        if (this.verbose > 1 && e.stdout) w(e.stdout.replace(/^/gm, '  | '))
        if (this.showDiff && e.diff) w(e.diff)
        break
      }
      case 'warning':
        w(`[WARNING]: ${e.message}`)
        break
      case 'batch':
        if (this.verbose > 0) w(`  <${e.host}> round trip ${e.roundTrip}: ${e.steps} step${e.steps === 1 ? '' : 's'} in ${e.ms} ms`)
        break
      case 'recap':
        w('\nPLAY RECAP')
        for (const l of recapLines(e.hosts, this.verbose > 0)) w(l)
        for (const [h, why] of Object.entries(e.failures)) w(`failed: ${h}: ${why}`)
        w(touchedLine(e.touched, e.inventoryHosts))
        if (e.interrupted) w('interrupted: stopped on Ctrl-C after the tasks that were running')
        w(`${e.ok ? 'ok' : e.interrupted ? 'INTERRUPTED' : 'FAILED'} in ${e.seconds.toFixed(1)} s`)
        if (this.verbose > 0) w(timingLine(e.timing))
        // Last, so the run's last line names every host it leaves out of service.
        for (const l of heldLines(e.held)) w(l)
        break
    }
  }
}
