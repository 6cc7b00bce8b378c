// Host key checking against OpenSSH known_hosts files: plain and hashed (|1|salt|hash) host fields,
// `[host]:port`, wildcard and negated patterns, and the @revoked marker. Strict: an unknown key is refused
// unless the user asked to accept new keys; a changed or revoked key is always refused.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { ConnectError } from '../errors.js'

export interface KnownHostEntry {
  file: string
  line: number
  marker?: 'revoked' | 'cert-authority'
  /** The host field as written: a comma-separated pattern list or one hashed name. */
  hosts: string
  keyType: string
  key: Buffer
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry }

export function defaultKnownHostsFile(): string {
  return join(homedir(), '.ssh', 'known_hosts')
}

/** The key blob's own type name (the first SSH string inside it). */
export function keyTypeOf(key: Buffer): string | undefined {
  if (key.length < 4) return undefined
  const len = key.readUInt32BE(0)
  if (len === 0 || len > 64 || key.length < 4 + len) return undefined
  return key.subarray(4, 4 + len).toString('latin1')
}

/** OpenSSH's fingerprint format: SHA256:<unpadded base64>. */
export function fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`
}

/** How a host is named in known_hosts: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  const host = address.toLowerCase()
  return port === 22 ? host : `[${host}]:${port}`
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0]!.startsWith('@')) {
      const m = fields.shift()!
      if (m === '@revoked') marker = 'revoked'
      else if (m === '@cert-authority') marker = 'cert-authority'
      else return
    }
    const [hosts, keyType, b64] = fields
    if (!hosts || !keyType || !b64) return
    const key = Buffer.from(b64, 'base64')
    // OpenSSH skips a line whose key does not decode to the type it claims.
    if (keyTypeOf(key) !== keyType) return
    entries.push({ file, line: i + 1, marker, hosts, keyType, key })
  })
  return entries
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${body}$`, 'i')
}

function hashedMatch(field: string, name: string): boolean {
  const [, kind, salt, hash] = field.split('|')
  if (kind !== '1' || !salt || !hash) return false
  const want = Buffer.from(hash, 'base64')
  const got = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest()
  return want.length === got.length && timingSafeEqual(want, got)
}

/** Whether a known_hosts host field names `name` (already in `host` / `[host]:port` form). */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatch(field, name)
  let positive = false
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!')
    const glob = negated ? pattern.slice(1) : pattern
    if (!glob || !globToRegExp(glob).test(name)) continue
    if (negated) return false
    positive = true
  }
  return positive
}

export function checkHostKey(entries: KnownHostEntry[], address: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(address, port)
  const mine = entries.filter((e) => hostFieldMatches(e.hosts, name))
  const revoked = mine.find((e) => e.marker === 'revoked' && e.key.equals(key))
  if (revoked) return { status: 'revoked', entry: revoked }
  const plain = mine.filter((e) => !e.marker)
  const same = plain.find((e) => e.key.equals(key))
  if (same) return { status: 'known', entry: same }
  const type = keyTypeOf(key)
  // A different key of the same type is a changed key. So is a key of a new type when the server no longer
  // offers any type we know: accepting it silently would let an interceptor pick a type we have not recorded.
  const changed = plain.find((e) => e.keyType === type) ?? plain[0]
  return changed ? { status: 'changed', entry: changed } : { status: 'unknown' }
}

const ALGORITHMS_OF_TYPE: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
}
const DEFAULT_ALGORITHMS = Object.values(ALGORITHMS_OF_TYPE).flat()

export interface KnownHostsOptions {
  /** Files checked, in order; a newly accepted key goes to the first writable one. */
  files: string[]
  acceptNew: boolean
}

/** Checks presented host keys against the files, re-reading them each time so accepted keys are seen. */
export class KnownHosts {
  readonly files: string[]
  readonly acceptNew: boolean

  constructor(opts: KnownHostsOptions) {
    this.files = opts.files
    this.acceptNew = opts.acceptNew
  }

  entries(): KnownHostEntry[] {
    return this.files.flatMap((f) => {
      try {
        return parseKnownHosts(readFileSync(f, 'utf8'), f)
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
        throw e
      }
    })
  }

  /** Host key algorithms to offer: the types already recorded for this host first, as OpenSSH does. */
  algorithmsFor(address: string, port: number): string[] {
    const name = knownHostsName(address, port)
    const known = this.entries().filter((e) => !e.marker && hostFieldMatches(e.hosts, name)).map((e) => e.keyType)
    const first = [...new Set(known)].flatMap((t) => ALGORITHMS_OF_TYPE[t] ?? [])
    return [...new Set([...first, ...DEFAULT_ALGORITHMS])]
  }

  /** Throws a ConnectError (not retryable) unless the key may be trusted; records it when accepting new keys. */
  verify(host: string, address: string, port: number, key: Buffer): void {
    const verdict = checkHostKey(this.entries(), address, port, key)
    const label = `${address}${port === 22 ? '' : `:${port}`}`
    const type = keyTypeOf(key) ?? 'unknown-type'
    const fp = fingerprint(key)
    switch (verdict.status) {
      case 'known':
        return
      case 'revoked':
        throw new ConnectError(`host key ${type} ${fp} of ${label} is revoked`,
          { file: verdict.entry.file, line: verdict.entry.line, host }, false,
          'the host must get a new key before kubeseed connects to it')
      case 'changed': {
        const e = verdict.entry
        throw new ConnectError(
          `host key of ${label} CHANGED: it presents ${type} ${fp}, but line ${e.line} of ${e.file} records ${e.keyType} ${fingerprint(e.key)}`,
          { file: e.file, line: e.line, host }, false,
          `if the host was reinstalled, check the new key out of band, then remove line ${e.line} from ${e.file} (ssh-keygen -R ${knownHostsName(address, port)} -f ${e.file}); otherwise someone may be intercepting the connection`)
      }
      case 'unknown':
        if (!this.acceptNew) {
          throw new ConnectError(`host key of ${label} is not known: ${type} ${fp}`, { host }, false,
            `run again with --accept-new-host-keys or add it to ${this.writableFile() ?? this.files[0] ?? defaultKnownHostsFile()}`)
        }
        this.record(host, address, port, key)
    }
  }

  private writableFile(): string | undefined {
    return this.files.find((f) => {
      try {
        accessSync(existsSync(f) ? f : dirname(f), constants.W_OK)
        return true
      } catch {
        return false
      }
    })
  }

  private record(host: string, address: string, port: number, key: Buffer): void {
    const line = `${knownHostsName(address, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`
    for (const f of this.files) {
      try {
        mkdirSync(dirname(f), { recursive: true, mode: 0o700 })
        const text = existsSync(f) ? readFileSync(f, 'utf8') : ''
        appendFileSync(f, `${text && !text.endsWith('\n') ? '\n' : ''}${line}`, { mode: 0o600 })
        return
      } catch {
        continue
      }
    }
    throw new ConnectError(`cannot record the new host key of ${address}: no writable known_hosts file`, { host }, false,
      `make one of these writable: ${this.files.join(', ')}`)
  }
}
