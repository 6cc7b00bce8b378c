// Live progress on a terminal with listr2: one line per task with each host's state beneath it while it
// runs, then the same recap as the text output.

import type * as Listr2 from 'listr2'
import { onFirstUse } from '../load-on-use.js'
import type { EventSink, RunEvent, Status } from './events.js'
import { TextReporter } from './text.js'

interface Current {
  title: string
  hosts: string[]
  states: Map<string, Status | 'running'>
  done: () => void
  update?: (text: string) => void
  setTitle?: (title: string) => void
}

const listr2 = onFirstUse<typeof Listr2>('listr2')

const MARK: Record<Status | 'running', string> = {
  running: '…', ok: 'ok', changed: 'changed', failed: 'FAILED', skipped: 'skipped', unreachable: 'UNREACHABLE',
}

export class ProgressReporter implements EventSink {
  private chain: Promise<void> = Promise.resolve()
  private current?: Current
  private readonly text: TextReporter
  private readonly after: string[] = []

  constructor(private readonly write: (line: string) => void, verbose: number, diff: boolean) {
    // Failures, warnings and diffs are worth keeping on screen: they go out as plain lines after each task.
    this.text = new TextReporter((l) => this.after.push(l), verbose, diff)
  }

  private summary(c: Current): string {
    const counts = new Map<string, number>()
    for (const s of c.states.values()) counts.set(MARK[s], (counts.get(MARK[s]) ?? 0) + 1)
    return [...counts].map(([k, v]) => `${k} ${v}`).join(', ')
  }

  private render(c: Current): void {
    c.update?.(c.hosts.map((h) => `${h}: ${MARK[c.states.get(h) ?? 'running']}`).join('\n'))
    c.setTitle?.(`${c.title}  [${this.summary(c)}]`)
  }

  private startTask(title: string, hosts: string[]): void {
    this.endTask()
    let done!: () => void
    const finished = new Promise<void>((r) => { done = r })
    const c: Current = { title, hosts, states: new Map(hosts.map((h) => [h, 'running' as const])), done }
    this.current = c
    const listr = new (listr2().Listr)([{
      title,
      task: async (_ctx, task) => {
        c.update = (t) => { task.output = t }
        c.setTitle = (t) => { task.title = t }
        this.render(c)
        await finished
        c.update('')
        task.title = `${title}  [${this.summary(c)}]`
        if ([...c.states.values()].some((s) => s === 'failed' || s === 'unreachable')) throw new Error(this.summary(c))
      },
    }], { exitOnError: false, rendererOptions: { showErrorMessage: false } })
    this.chain = this.chain.then(() => listr.run().then(() => undefined, () => undefined)).then(() => this.flushAfter())
  }

  private flushAfter(): void {
    for (const l of this.after.splice(0)) this.write(l)
  }

  private endTask(): void {
    this.current?.done()
    this.current = undefined
  }

  emit(e: RunEvent): void {
    switch (e.type) {
      case 'task':
        this.startTask(e.name, e.hosts)
        break
      case 'handler':
        this.startTask(`handler: ${e.name}`, e.hosts)
        break
      case 'result': {
        const c = this.current
        if (c) {
          if (!c.states.has(e.host)) c.hosts.push(e.host)
          c.states.set(e.host, e.status)
          this.render(c)
        }
        if (e.status === 'failed' || e.status === 'unreachable' || e.diff) this.text.emit(e)
        break
      }
      case 'play':
      case 'warning':
        this.endTask()
        this.text.emit(e)
        this.chain = this.chain.then(() => this.flushAfter())
        break
      case 'recap':
        this.endTask()
        this.text.emit(e)
        this.chain = this.chain.then(() => this.flushAfter())
        break
      default:
        break
    }
  }

  async close(): Promise<void> {
    this.endTask()
    await this.chain
    this.flushAfter()
  }
}
