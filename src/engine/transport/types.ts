// What the engine needs from a way of reaching a host: run one script, get its streams back.

export interface Become {
  method: 'sudo'
  user: string
  password?: string
}

export interface ExecRequest {
  /** A POSIX sh script, fed to `/bin/sh -s` on stdin (never through the command line). */
  script: string | Buffer
  become?: Become | null
  timeoutMs?: number
  /**
   * Aborting stops the script on the host (its process group gets SIGTERM, then SIGKILL if it lingers) and
   * answers with what it printed so far.
   */
  signal?: AbortSignal
}

export interface ExecResult {
  code: number | null
  signal?: string
  stdout: Buffer
  stderr: Buffer
}

export interface Connection {
  readonly host: string
  exec(req: ExecRequest): Promise<ExecResult>
  close(): Promise<void>
  /** Scripts run on this host so far: each is one round trip. */
  readonly roundTrips: number
  /** Wall milliseconds the controller spent waiting on this host (connecting, running scripts). */
  readonly waitedMs: number
  /** Milliseconds from process start until the session to this host was first up (SSH handshake done). */
  readonly readyAtMs?: number
}

/** How to reach one host, from its inventory variables. */
export interface HostAddress {
  name: string
  connection: 'ssh' | 'local'
  address: string
  port: number
  user: string
  privateKeyFile?: string
  password?: string
  jump?: HostAddress
  becomePassword?: string
}
