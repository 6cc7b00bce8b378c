// The local connection: scripts run on this machine (ansible_connection=local).

import { spawn } from 'node:child_process'
import type { Connection, ExecRequest, ExecResult } from './types.js'
import { becomeInvocation } from './become.js'
import { WaitClock } from './wait-clock.js'

export class LocalConnection implements Connection {
  readonly host: string
  private trips = 0
  private readonly wait = new WaitClock()

  constructor(host: string) {
    this.host = host
  }

  get roundTrips(): number {
    return this.trips
  }

  get waitedMs(): number {
    return this.wait.ms
  }

  exec(req: ExecRequest): Promise<ExecResult> {
    this.trips++
    return this.wait.time(() => this.run(req))
  }

  private run(req: ExecRequest): Promise<ExecResult> {
    const isRoot = process.getuid?.() === 0
    const become = req.become && !(isRoot && req.become.user === 'root') ? req.become : null
    const inv = becomeInvocation(become)
    const argv = become ? ['/bin/sh', '-c', inv.command] : ['/bin/sh', '-s']
    return new Promise((resolve, reject) => {
      // Its own process group, so an interruption stops everything the script started.
      const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true })
      const signalGroup = (sig: NodeJS.Signals) => { try { process.kill(-child.pid!, sig) } catch { /* ended */ } }
      let lingering: NodeJS.Timeout | undefined
      const stop = () => {
        signalGroup('SIGTERM')
        lingering = setTimeout(() => signalGroup('SIGKILL'), 3000)
      }
      if (req.signal?.aborted) queueMicrotask(stop)
      else req.signal?.addEventListener('abort', stop, { once: true })
      const out: Buffer[] = []
      const err: Buffer[] = []
      let timer: NodeJS.Timeout | undefined
      if (req.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), req.timeoutMs)
      child.stdout.on('data', (d: Buffer) => out.push(d))
      child.stderr.on('data', (d: Buffer) => err.push(d))
      child.on('error', reject)
      child.on('close', (code, signal) => {
        if (timer) clearTimeout(timer)
        if (lingering) clearTimeout(lingering)
        req.signal?.removeEventListener('abort', stop)
        resolve({ code, signal: signal ?? undefined, stdout: Buffer.concat(out), stderr: Buffer.concat(err) })
      })
      child.stdin.on('error', () => {})
      if (inv.preamble) child.stdin.write(inv.preamble)
      child.stdin.end(req.script)
    })
  }

  async close(): Promise<void> {}
}
