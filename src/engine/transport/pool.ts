// One connection per host for the whole run, opened on first use. Concurrent callers share the pending
// connect; jump hosts are shared by every node behind them.

import { LocalConnection } from './local.js'
import { SshConnection, type SshOptions } from './ssh.js'
import type { Connection, HostAddress } from './types.js'

export { addressFromVars, jumpFromSshArgs, type BastionVars } from './address-from-vars.js'

export type PoolOptions = Omit<SshOptions, 'jumpConnection'>

/** Who is reached how: the same host as another user, or by another path, is another connection. */
function identity(addr: HostAddress): string {
  const hop = (a: HostAddress): string => `${a.name}=${a.user}@${a.address}:${a.port}${a.jump ? `<${hop(a.jump)}` : ''}`
  return addr.connection === 'local' ? `${addr.name}=local` : hop(addr)
}

export class ConnectionPool {
  private readonly opts: PoolOptions
  private readonly pending = new Map<string, Promise<Connection>>()
  private readonly jumps = new Set<string>()

  constructor(opts: PoolOptions = {}) {
    this.opts = opts
  }

  get(addr: HostAddress): Promise<Connection> {
    return this.connect(addr)
  }

  /** Hosts with a connection (open or being opened), jump hosts included. */
  hosts(): string[] {
    return [...this.pending.keys()].map((k) => k.slice(0, k.indexOf('=')))
  }

  private connect(addr: HostAddress): Promise<Connection> {
    const key = identity(addr)
    let p = this.pending.get(key)
    if (!p) {
      p = this.open(addr)
      this.pending.set(key, p)
      // A failed connect is not remembered: asking again tries again.
      p.catch(() => { if (this.pending.get(key) === p) this.pending.delete(key) })
    }
    return p
  }

  private async open(addr: HostAddress): Promise<Connection> {
    if (addr.connection === 'local') return new LocalConnection(addr.name)
    const conn = new SshConnection(addr, {
      ...this.opts,
      jumpConnection: async (jump) => {
        this.jumps.add(identity(jump))
        return await this.connect(jump) as SshConnection
      },
    })
    await conn.open()
    return conn
  }

  /** Closes nodes first, then the jump hosts their connections ran through. */
  async closeAll(): Promise<void> {
    const entries = [...this.pending.entries()]
    this.pending.clear()
    const settle = async (p: Promise<Connection>) => {
      try { await (await p).close() } catch { /* a failed connect has nothing to close */ }
    }
    await Promise.all(entries.filter(([k]) => !this.jumps.has(k)).map(([, p]) => settle(p)))
    await Promise.all(entries.filter(([k]) => this.jumps.has(k)).map(([, p]) => settle(p)))
    this.jumps.clear()
  }
}
