// What a run tells the outside world. Reporters (text, NDJSON, progress) only read these.

export type Status = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable'

export interface HostRecap {
  ok: number
  changed: number
  failed: number
  skipped: number
  unreachable: boolean
  rescued: number
  ignored: number
  roundTrips: number
  /** Wall ms the controller waited on this host (connecting, running scripts). */
  hostWaitMs: number
  /** Wall ms the controller spent planning this host's tasks and reading their results. */
  controllerMs: number
}

/** Where a run's time went, for `-v`. */
export interface RunTiming {
  /** From process start to the first SSH session up; undefined when no SSH host was reached. */
  firstHandshakeMs?: number
  /** The controller process's CPU (user + system) over the whole run, ms. */
  controllerCpuMs: number
}

export type RunEvent =
  | { type: 'play'; name: string; hosts: string[]; file: string }
  | { type: 'task'; name: string; task: number; file?: string; line?: number; hosts: string[] }
  | {
      type: 'result'
      task: string
      taskId: number
      host: string
      status: Status
      item?: string
      msg?: string
      changes?: string[]
      diff?: string
      stdout?: string
      stderr?: string
      rc?: number | null
      ignored?: boolean
      /** Print msg even without -v (debug). */
      display?: boolean
      delegatedTo?: string
      urls?: string[]
    }
  | { type: 'warning'; message: string }
  | { type: 'handler'; name: string; hosts: string[] }
  | { type: 'batch'; host: string; steps: number; roundTrip: number; ms: number }
  | {
      type: 'recap'
      ok: boolean
      hosts: Record<string, HostRecap>
      failures: Record<string, string>
      /** Hosts the run leaves out of service, with why (see run/held-hosts.ts). */
      held: Record<string, string>
      /** The run stopped on Ctrl-C before its end. */
      interrupted?: boolean
      seconds: number
      timing: RunTiming
      /** Hosts something ran on beyond gathering facts (their own tasks or tasks delegated to them), in recap order. */
      touched: string[]
      /** How many hosts the inventory has: what the touched hosts are counted against. */
      inventoryHosts: number
    }

export interface EventSink {
  emit(e: RunEvent): void
  /** Called once at the end; a reporter flushes and releases the terminal. */
  close?(): Promise<void> | void
}
