// One ssh2 connection per host for the whole run. Each exec is one channel running `/bin/sh -s` (or sudo
// around it) with the script on stdin. Channels per connection stay under sshd's MaxSessions (10); handshakes
// in flight stay under sshd's MaxStartups per sshd and under what the controller's cores answer in time.

import type * as Ssh2 from 'ssh2'
import type { Client as ClientType, ClientChannel, ConnectConfig } from 'ssh2'
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Duplex } from 'node:stream'
import pLimit from 'p-limit'
import { ConnectError, formatWhere, type KubeseedError } from '../errors.js'
import { onFirstUse } from '../load-on-use.js'
import { becomeInvocation } from './become.js'
import { authHandler, authPlan } from './ssh-auth.js'
import { KnownHosts, defaultKnownHostsFile } from './known-hosts.js'
import { HANDSHAKES_PER_SSHD, handshakesAtOnce } from './limits.js'
import type { Become, Connection, ExecRequest, ExecResult, HostAddress } from './types.js'
import { WaitClock } from './wait-clock.js'

const ssh2 = onFirstUse<typeof Ssh2>('ssh2')

export interface SshOptions {
  /** Extra known_hosts files (e.g. one beside the inventory), checked before the user's own. */
  knownHostsFiles?: string[]
  /** The user's known_hosts; default ~/.ssh/known_hosts; null leaves it out. */
  userKnownHostsFile?: string | null
  /** Trust and record keys of hosts not yet known (never changed or revoked ones). */
  acceptNewHostKeys?: boolean
  /** Limit for TCP connect + SSH handshake + authentication. Default 10 s. */
  connectTimeoutMs?: number
  /** Further connect attempts after a retryable failure. Default 2. */
  connectRetries?: number
  /** First pause between attempts, doubled each time. Default 500 ms. */
  retryDelayMs?: number
  /** Default 15 s; a peer silent for 3 intervals counts as gone. */
  keepaliveIntervalMs?: number
  /** Channels open at once per connection. Default 8. */
  maxChannels?: number
  /** ssh-agent socket; default $SSH_AUTH_SOCK; null disables the agent. */
  agentSocket?: string | null
  /** Connections to jump hosts, shared between the nodes behind them. Default: a private connection each. */
  jumpConnection?: (jump: HostAddress) => Promise<SshConnection>
  log?: (line: string) => void
}

/**
 * The script's first line tells its process id on stderr, under a random tag: stopping it means signalling
 * its process group from another channel, since sshd ignores signal requests for root sessions.
 */
function withPidReport(script: string | Buffer): { tag: string; script: Buffer } {
  const tag = `KSPID${randomBytes(8).toString('hex')}`
  return { tag, script: Buffer.concat([Buffer.from(`printf '\\n%s:%s\\n' ${tag} "$$" >&2\n`), Buffer.from(script)]) }
}

/**
 * Signals the process group of `pid` (the script's shell leads it, or shares sudo's), or the process alone.
 * dash's kill takes no `--`.
 */
function stopScript(pid: number, signal: 'TERM' | 'KILL'): string {
  return `read -r _s < /proc/${pid}/stat 2>/dev/null || exit 0\nset -- \${_s##*') '}\n` +
    `kill -${signal} "-$3" 2>/dev/null || kill -${signal} ${pid} 2>/dev/null\nexit 0\n`
}

/** The channel never started: safe to run the script on a fresh connection. */
class NotStarted extends Error {}

const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED'])

/** Failures whose own connect already went through its retries (a jump host's): not retried again. */
const retriedAlready = new WeakSet<Error>()

/** An error's own statement, without its where-prefix and hint: for wrapping it in a wider one. */
function bare(err: KubeseedError): string {
  let m = err.message
  const at = formatWhere(err.where)
  if (at && m.startsWith(`${at}: `)) m = m.slice(at.length + 2)
  if (err.hint && m.endsWith(` (${err.hint})`)) m = m.slice(0, -(err.hint.length + 3))
  return m
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Handshakes of this process: in all, and per sshd (address:port as the connection reaches it). */
let allHandshakes: ReturnType<typeof pLimit> | undefined
const sshdHandshakes = new Map<string, ReturnType<typeof pLimit>>()

function handshakeSlot<T>(sshd: string, fn: () => Promise<T>): Promise<T> {
  let one = sshdHandshakes.get(sshd)
  if (!one) { one = pLimit(HANDSHAKES_PER_SSHD); sshdHandshakes.set(sshd, one) }
  const all = (allHandshakes ??= pLimit(handshakesAtOnce()))
  return one(() => all(fn))
}

/** Handshakes in flight to one sshd right now. */
function inFlightTo(sshd: string): number {
  return sshdHandshakes.get(sshd)?.activeCount ?? 0
}

/** Sessions that are up: added on 'ready', removed as soon as the socket ends or closes. */
const alive = new WeakSet<ClientType>()

function isOpen(client: ClientType | undefined): client is ClientType {
  return !!client && alive.has(client)
}

/**
 * Asks sshd to kill the session's process group. sshd honours this only for non-root logins without sudo
 * (it refuses without privilege separation, which root sessions lack), so a timeout cannot rely on it.
 * ssh2's own `signal()` does nothing once stdin is closed, and ours always is: go to the protocol directly.
 */
function killSession(stream: ClientChannel): void {
  const ch = stream as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, sig: string): void } } }
  try {
    if (ch.outgoing && ch.outgoing.state !== 'closed') ch._client?._protocol?.signal(ch.outgoing.id, 'KILL')
  } catch { /* the channel is gone already */ }
}

interface ScriptExit { code: number | null; signal?: string }

/** What a script printed on its channel; stderr without the line that reports the script's pid. */
class ScriptOutput {
  readonly out: Buffer[] = []
  readonly errs: Buffer[] = []
  constructor(private readonly pidLine: RegExp | undefined) {}

  collect(stream: ClientChannel): void {
    stream.on('data', (d: Buffer) => this.out.push(d))
    stream.stderr.on('data', (d: Buffer) => this.errs.push(d))
    stream.on('error', () => {})
  }

  scriptPid(): number | undefined {
    const m = this.pidLine?.exec(Buffer.concat(this.errs).toString('latin1'))
    return m ? Number(m[1]) : undefined
  }

  stdout(): Buffer {
    return Buffer.concat(this.out)
  }

  stderr(): Buffer {
    const errs = Buffer.concat(this.errs)
    return this.pidLine ? Buffer.from(errs.toString('latin1').replace(this.pidLine, ''), 'latin1') : errs
  }
}

export class SshConnection implements Connection {
  readonly host: string
  readonly address: HostAddress
  private readonly opts: SshOptions
  private readonly knownHosts: KnownHosts
  private readonly channels: ReturnType<typeof pLimit>
  private client?: ClientType
  private connecting?: Promise<ClientType>
  private ownJump?: SshConnection
  private trips = 0
  private closed = false
  private opened = 0
  private readonly wait = new WaitClock()
  private firstReady?: number

  constructor(addr: HostAddress, opts: SshOptions = {}) {
    this.host = addr.name
    this.address = addr
    this.opts = opts
    const user = opts.userKnownHostsFile === null ? [] : [opts.userKnownHostsFile ?? defaultKnownHostsFile()]
    this.knownHosts = new KnownHosts({ files: [...(opts.knownHostsFiles ?? []), ...user], acceptNew: !!opts.acceptNewHostKeys })
    this.channels = pLimit(opts.maxChannels ?? 8)
  }

  get roundTrips(): number {
    return this.trips
  }

  get waitedMs(): number {
    return this.wait.ms
  }

  get readyAtMs(): number | undefined {
    return this.firstReady
  }

  /** How many times an SSH session to the host was established (1 unless it dropped and was re-opened). */
  get sessionsOpened(): number {
    return this.opened
  }

  private get label(): string {
    const a = this.address
    return `${a.user}@${a.address}${a.port === 22 ? '' : `:${a.port}`}`
  }

  private log(line: string): void {
    this.opts.log?.(`ssh ${this.host}: ${line}`)
  }

  /** Connect now (with retries); later execs reuse the session and re-open it if it dropped. */
  async open(): Promise<void> {
    await this.ready()
  }

  private ready(): Promise<ClientType> {
    if (this.closed) return Promise.reject(new ConnectError('connection already closed', { host: this.host }, false))
    if (isOpen(this.client)) return Promise.resolve(this.client)
    this.connecting ??= this.wait.time(() => this.connectWithRetries()).finally(() => { this.connecting = undefined })
    return this.connecting
  }

  private async connectWithRetries(): Promise<ClientType> {
    const retries = this.opts.connectRetries ?? 2
    const base = this.opts.retryDelayMs ?? 500
    for (let attempt = 0; ; attempt++) {
      try {
        const client = await this.connectOnce()
        if (this.closed) {
          client.end()
          throw new ConnectError('connection closed while it was being opened', { host: this.host }, false)
        }
        this.client = client
        this.opened++
        this.firstReady ??= performance.now()
        return client
      } catch (e) {
        const err = e instanceof ConnectError ? e : this.classify(e as Error)
        if (!err.retryable || attempt >= retries || this.closed || retriedAlready.has(err)) {
          if (err.retryable && attempt > 0 && !retriedAlready.has(err)) {
            throw new ConnectError(`${bare(err)} (after ${attempt + 1} attempts)`, { host: this.host }, true, err.hint)
          }
          throw err
        }
        const delay = base * 2 ** attempt * (0.8 + Math.random() * 0.4)
        this.log(`attempt ${attempt + 1} failed (${err.message}); retrying in ${Math.round(delay)} ms`)
        await sleep(delay)
      }
    }
  }

  private async socketViaJump(): Promise<Duplex | undefined> {
    const jump = this.address.jump
    if (!jump) return undefined
    let via: SshConnection
    try {
      via = this.opts.jumpConnection ? await this.opts.jumpConnection(jump) : await this.privateJump(jump)
    } catch (e) {
      if (!(e instanceof ConnectError)) throw e
      const err = new ConnectError(`cannot reach jump host ${jump.name}: ${bare(e)}`, { host: this.host }, e.retryable, e.hint)
      retriedAlready.add(err)
      throw err
    }
    return via.forwardOut(this.address.address, this.address.port)
  }

  private async privateJump(jump: HostAddress): Promise<SshConnection> {
    if (!this.ownJump) {
      const { jumpConnection: _shared, ...rest } = this.opts
      this.ownJump = new SshConnection(jump, rest)
    }
    await this.ownJump.open()
    return this.ownJump
  }

  /** A TCP stream from this host to another (direct-tcpip); not a session, so not counted against MaxSessions. */
  async forwardOut(address: string, port: number): Promise<Duplex> {
    const client = await this.ready()
    return new Promise((resolve, reject) => {
      client.forwardOut('127.0.0.1', 0, address, port, (err, stream) => {
        if (err) {
          reject(new ConnectError(`jump host ${this.host} could not connect to ${address}:${port}: ${err.message}`,
            { host: this.host }, true, 'check that the node runs sshd and that the jump host can reach it'))
          return
        }
        resolve(stream)
      })
    })
  }

  private connectOnce(): Promise<ClientType> {
    return (async () => {
      const addr = this.address
      const plan = authPlan(addr, this.opts.agentSocket === null ? undefined : (this.opts.agentSocket ?? process.env.SSH_AUTH_SOCK))
      const sock = await this.socketViaJump()
      // The connect timeout runs from the handshake's own start, not from its wait for a slot.
      const sshd = `${addr.jump ? `${addr.jump.address}:${addr.jump.port}>` : ''}${addr.address}:${addr.port}`
      return handshakeSlot(sshd, () => this.handshake(addr, plan, sock, sshd))
    })()
  }

  private handshake(addr: HostAddress, plan: ReturnType<typeof authPlan>, sock: Duplex | undefined, sshd: string): Promise<ClientType> {
    return (async () => {
      const client = new (ssh2().Client)()
      let hostKeyError: ConnectError | undefined
      const interval = this.opts.keepaliveIntervalMs ?? 15_000
      const config: ConnectConfig = {
        host: addr.address,
        port: addr.port,
        username: addr.user,
        sock: sock as ConnectConfig['sock'],
        readyTimeout: this.opts.connectTimeoutMs ?? 10_000,
        keepaliveInterval: interval,
        keepaliveCountMax: 3,
        algorithms: { serverHostKey: this.knownHosts.algorithmsFor(addr.address, addr.port) as never },
        authHandler: authHandler(plan),
        hostVerifier: (key: Buffer) => {
          try {
            this.knownHosts.verify(this.host, addr.address, addr.port, key)
            return true
          } catch (e) {
            hostKeyError = e as ConnectError
            return false
          }
        },
      }
      return new Promise<ClientType>((resolve, reject) => {
        let settled = false
        const fail = (err: Error) => {
          if (settled) return
          settled = true
          client.end()
          const others = inFlightTo(sshd) - 1
          const dropped = (err as { code?: string }).code === 'ECONNRESET' || /lost before handshake/i.test(err.message)
          const crowded = !hostKeyError && others > 0 && dropped
          reject(hostKeyError ?? this.classify(err, plan.described, crowded ? others + 1 : undefined))
        }
        client.once('ready', () => {
          settled = true
          alive.add(client)
          client.on('error', (err) => this.log(`connection error: ${err.message}`))
          const gone = () => {
            if (!alive.delete(client)) return
            if (this.client === client) this.client = undefined
            this.log('connection closed')
          }
          client.once('end', gone)
          client.once('close', gone)
          resolve(client)
        })
        client.on('error', fail)
        client.once('close', () => fail(Object.assign(new Error('connection closed during the handshake'), { code: 'ECONNRESET' })))
        try {
          client.connect(config)
        } catch (e) {
          fail(e as Error)
        }
      })
    })()
  }

  /** `crowded`: handshakes that were in flight to this sshd when it closed the connection. */
  private classify(err: Error & { code?: string; level?: string }, tried?: string[], crowded?: number): ConnectError {
    const where = { host: this.host }
    if (err.level === 'client-authentication') {
      const what = tried?.length ? tried.join(', ') : 'no key file, no ssh-agent and no password'
      return new ConnectError(`authentication as ${this.address.user} on ${this.address.address} failed (tried ${what})`, where, false,
        'check ansible_user and ansible_ssh_private_key_file or the password, or add the key to ssh-agent')
    }
    if (crowded) {
      return new ConnectError(`cannot connect to ${this.label}: sshd closed the connection during the handshake while ${crowded} handshakes to it were in flight`, where, true,
        `its MaxStartups (sshd_config) is likely below ${crowded}: raise it, or run with fewer --forks`)
    }
    if (err.level === 'client-timeout' || (err.code && RETRYABLE_CODES.has(err.code))) {
      const reason = err.level === 'client-timeout' ? 'no SSH handshake within the connect timeout' : (err.code === 'ECONNREFUSED' ? 'connection refused' : err.message)
      return new ConnectError(`cannot connect to ${this.label}: ${reason}`, where, true,
        'check that the host is up, that sshd runs there and that ansible_host/ansible_port are right')
    }
    if (err.code === 'ENOTFOUND') {
      return new ConnectError(`cannot resolve ${this.address.address}`, where, false, 'check ansible_host')
    }
    return new ConnectError(`cannot connect to ${this.label}: ${err.message}`, where, false)
  }

  private effectiveBecome(b: Become | null | undefined): Become | undefined {
    if (!b) return undefined
    // Root needs no sudo to become root, and sudo never asks root for a password: a password line would
    // reach the shell as a command.
    if (this.address.user === 'root') return b.user === 'root' ? undefined : { ...b, password: undefined }
    const password = b.password ?? this.address.becomePassword
    return password === undefined ? { ...b } : { ...b, password }
  }

  exec(req: ExecRequest): Promise<ExecResult> {
    this.trips++
    return this.wait.time(() => this.execOnce(req))
  }

  private execOnce(req: ExecRequest): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      // The channel slot stays taken until the channel closes, even when a timeout answered the caller early.
      this.channels(async () => {
        for (let attempt = 0; ; attempt++) {
          const client = await this.ready()
          try {
            resolve(await this.run(client, req, resolve))
            return
          } catch (e) {
            if (!(e instanceof NotStarted)) throw e
            // ssh2 says "Not connected" before it has reported the socket closed.
            const dropped = !isOpen(client) || /not connected|no response from server/i.test(e.message)
            if (attempt > 0 || !dropped) {
              throw new ConnectError(`cannot open a session channel: ${e.message}`, { host: this.host }, true,
                'check MaxSessions in the host\'s sshd_config (kubeseed needs 8)')
            }
            this.log('connection dropped before the script started; re-opening it')
            alive.delete(client)
            if (this.client === client) this.client = undefined
          }
        }
      }).catch(reject)
    })
  }

  /** Resolves when the channel closes; `early` answers the caller as soon as a timeout kills the script. */
  private run(client: ClientType, req: ExecRequest, early: (r: ExecResult) => void): Promise<ExecResult> {
    const become = this.effectiveBecome(req.become)
    const { command, preamble } = becomeInvocation(become)
    const reported = req.signal ? withPidReport(req.script) : undefined
    return new Promise((resolve, reject) => {
      const start = (err: Error | undefined, stream: ClientChannel) => {
        if (err) { reject(new NotStarted(err.message)); return }
        const output = new ScriptOutput(reported ? new RegExp(`\\n${reported.tag}:(\\d+)\\n`) : undefined)
        let exit: ScriptExit | undefined
        let timedOut = false
        let closed = false
        const timers: NodeJS.Timeout[] = []
        if (req.timeoutMs) {
          timers.push(setTimeout(() => {
            timedOut = true
            killSession(stream)
            stream.close()
            early({ code: null, signal: 'TIMEOUT', stdout: output.stdout(), stderr: Buffer.concat(output.errs) })
          }, req.timeoutMs))
        }
        const stop = () => {
          if (!closed) timers.push(...this.interrupt(client, req, stream, output, () => closed, early))
        }
        if (req.signal?.aborted) queueMicrotask(stop)
        else req.signal?.addEventListener('abort', stop, { once: true })
        output.collect(stream)
        stream.on('exit', (code: number | null, signal?: string) => { exit = { code, signal } })
        stream.on('close', () => {
          closed = true
          for (const t of timers) clearTimeout(t)
          req.signal?.removeEventListener('abort', stop)
          const settled = this.settle(client, req, output, exit, timedOut)
          if (settled instanceof Error) reject(settled)
          else resolve(settled)
        })
        if (preamble) stream.write(preamble)
        stream.end(reported?.script ?? req.script)
      }
      try {
        client.exec(command, start)
      } catch (e) {
        reject(new NotStarted((e as Error).message))
      }
    })
  }

  /**
   * Interrupted: SIGTERM to the script's process group (its traps remove its temporary files), SIGKILL if it
   * is still there 3 s later, and an answer with what it printed after 5 s whatever happens. Returns the
   * timers, which the channel's close clears.
   */
  private interrupt(client: ClientType, req: ExecRequest, stream: ClientChannel, output: ScriptOutput,
    closed: () => boolean, early: (r: ExecResult) => void): NodeJS.Timeout[] {
    const signalGroup = (sig: 'TERM' | 'KILL') => {
      const pid = output.scriptPid()
      if (pid === undefined || closed() || !isOpen(client)) return
      this.run(client, { script: stopScript(pid, sig), become: req.become }, () => {}).catch(() => {})
    }
    signalGroup('TERM')
    return [
      setTimeout(() => signalGroup('KILL'), 3000),
      setTimeout(() => {
        stream.close()
        early({ code: null, signal: 'INTERRUPTED', stdout: output.stdout(), stderr: output.stderr() })
      }, 5000),
    ]
  }

  /** The answer once the channel has closed, or the error when the connection went away under the script. */
  private settle(client: ClientType, req: ExecRequest, output: ScriptOutput, exit: ScriptExit | undefined,
    timedOut: boolean): ExecResult | ConnectError {
    const stdout = output.stdout()
    const stderr = output.stderr()
    if (timedOut && !exit) return { code: null, signal: 'TIMEOUT', stdout, stderr }
    if (req.signal?.aborted && !exit) return { code: null, signal: 'INTERRUPTED', stdout, stderr }
    if (!exit && !isOpen(client)) {
      return new ConnectError(`connection to ${this.label} lost while a script was running; it may have run partly`,
        { host: this.host }, true, 'check the host; steps are idempotent, so running again is safe')
    }
    return { code: exit?.code ?? null, signal: exit?.signal, stdout, stderr }
  }

  async close(): Promise<void> {
    this.closed = true
    const client = this.client
    this.client = undefined
    if (client && isOpen(client)) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 2000)
        client.once('close', () => { clearTimeout(t); resolve() })
        client.end()
      })
    }
    await this.ownJump?.close()
  }
}

export async function connectSsh(addr: HostAddress, opts: SshOptions = {}): Promise<SshConnection> {
  const conn = new SshConnection(addr, opts)
  await conn.open()
  return conn
}
