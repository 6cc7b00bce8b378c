// IPv4/IPv6 address arithmetic behind the ipaddr family of filters and the cidrHost helper.
// Semantics follow ansible.utils.ipaddr (netaddr) for the queries kubespray uses.
import { ExprError } from '../errors.js'

export interface IpNet {
  version: 4 | 6
  ip: bigint
  prefix: number
  /** The input carried a `/prefix` (a network), rather than a bare address. */
  hasPrefix: boolean
}

const bits = (v: 4 | 6): number => (v === 4 ? 32 : 128)

function parseV4(s: string): bigint | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s)
  if (!m) return undefined
  let n = 0n
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i])
    if (o > 255 || (m[i]!.length > 1 && m[i]!.startsWith('0'))) return undefined
    n = (n << 8n) | BigInt(o)
  }
  return n
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return undefined
  const halves = s.split('::')
  if (halves.length > 2) return undefined
  const groups = (part: string): number[] | undefined => {
    if (part === '') return []
    const out: number[] = []
    const items = part.split(':')
    for (let i = 0; i < items.length; i++) {
      const g = items[i]!
      if (i === items.length - 1 && g.includes('.')) {
        const v4 = parseV4(g)
        if (v4 === undefined) return undefined
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn))
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined
        out.push(parseInt(g, 16))
      }
    }
    return out
  }
  const head = groups(halves[0]!)
  const tail = halves.length === 2 ? groups(halves[1]!) : []
  if (!head || !tail) return undefined
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail]
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n)
}

function maskToPrefix(mask: bigint): number | undefined {
  const s = mask.toString(2).padStart(32, '0')
  return /^1*0*$/.test(s) ? s.indexOf('0') === -1 ? 32 : s.indexOf('0') : undefined
}

export function parseIp(value: unknown): IpNet | undefined {
  if (typeof value !== 'string') return undefined
  const text = value.trim()
  const [addr, pfx, extra] = text.split('/')
  if (extra !== undefined || !addr) return undefined
  const bare = addr.startsWith('[') && addr.endsWith(']') ? addr.slice(1, -1) : addr
  let version: 4 | 6 = 4
  let ip = parseV4(bare)
  if (ip === undefined) {
    ip = parseV6(bare)
    version = 6
  }
  if (ip === undefined) return undefined
  if (pfx === undefined) return { version, ip, prefix: bits(version), hasPrefix: false }
  let prefix: number | undefined
  if (/^\d{1,3}$/.test(pfx)) prefix = Number(pfx)
  else if (version === 4) {
    const m = parseV4(pfx)
    prefix = m === undefined ? undefined : maskToPrefix(m)
  }
  if (prefix === undefined || prefix > bits(version)) return undefined
  return { version, ip, prefix, hasPrefix: true }
}

export function formatIp(version: 4 | 6, n: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join('.')
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((n >> BigInt(i * 16)) & 0xffffn))
  // RFC 5952: the longest run (>= 2) of zero groups becomes "::".
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (best < 0) return hex.join(':')
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`
}

export function maskOf(n: IpNet): bigint {
  const total = BigInt(bits(n.version))
  return ((1n << total) - 1n) ^ ((1n << (total - BigInt(n.prefix))) - 1n)
}

export const networkOf = (n: IpNet): bigint => n.ip & maskOf(n)
export const sizeOf = (n: IpNet): bigint => 1n << BigInt(bits(n.version) - n.prefix)
export const broadcastOf = (n: IpNet): bigint => networkOf(n) + sizeOf(n) - 1n

/** The Nth address of a network counting from its network address (negative: from its last address). */
export function nthAddress(n: IpNet, index: number | bigint): bigint | undefined {
  const i = BigInt(index)
  const size = sizeOf(n)
  const off = i < 0n ? size + i : i
  if (off < 0n || off >= size) return undefined
  return networkOf(n) + off
}

function isPrivate(n: IpNet): boolean {
  const inNet = (cidr: string): boolean => {
    const c = parseIp(cidr)!
    return c.version === n.version && (n.ip & maskOf(c)) === networkOf(c)
  }
  const nets =
    n.version === 4
      ? ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16']
      : ['fc00::/7', 'fe80::/10', '::1/128']
  return nets.some(inNet)
}

type Result = string | number | boolean

/** One value through one ipaddr query. `false` means "not matching", as in Ansible. */
export function ipaddrQuery(value: unknown, query: unknown, version?: 4 | 6): Result {
  const n = parseIp(value)
  if (!n || (version && n.version !== version)) return false
  const v = n.version
  const size = sizeOf(n)
  const net = networkOf(n)
  const pfx = `/${n.prefix}`
  if (query === '' || query === null || query === undefined) return String(value).trim()
  if (typeof query === 'number' || (typeof query === 'string' && /^-?\d+$/.test(query))) {
    if (size === 1n) return n.hasPrefix ? formatIp(v, n.ip) + pfx : formatIp(v, n.ip)
    const a = nthAddress(n, Number(query))
    return a === undefined ? false : formatIp(v, a) + pfx
  }
  switch (query) {
    case 'address':
    case 'ip':
      if (size > 2n && n.ip === net) return false
      return formatIp(v, n.ip)
    case 'host':
      if (size === 1n) return `${formatIp(v, n.ip)}/${bits(v)}`
      return n.ip === net && size > 2n ? false : formatIp(v, n.ip) + pfx
    case 'net':
      return size > 1n && n.ip === net ? formatIp(v, net) + pfx : false
    case 'network':
      return formatIp(v, net)
    case 'subnet':
    case 'cidr':
      return formatIp(v, net) + pfx
    case 'prefix':
      return n.prefix
    case 'netmask':
      return formatIp(v, maskOf(n))
    case 'hostmask':
      return formatIp(v, sizeOf(n) - 1n)
    case 'size':
      return Number(size)
    case 'broadcast':
      return size > 1n ? formatIp(v, broadcastOf(n)) : false
    case 'first_usable':
      return size > 2n ? formatIp(v, net + 1n) : false
    case 'last_usable':
      return size > 2n ? formatIp(v, broadcastOf(n) - 1n) : false
    case 'range_usable':
      return size > 2n ? `${formatIp(v, net + 1n)}-${formatIp(v, broadcastOf(n) - 1n)}` : false
    case 'version':
      return v
    case 'ipv4':
      return v === 4 ? String(value).trim() : false
    case 'ipv6':
      return v === 6 ? String(value).trim() : false
    case 'private':
      return isPrivate(n) ? String(value).trim() : false
    case 'public':
      return isPrivate(n) ? false : String(value).trim()
    case 'bool':
      return true
    case 'int':
      return n.hasPrefix ? `${n.ip}${pfx}` : Number(n.ip)
    case 'wrap':
      return v === 6 ? `[${formatIp(v, n.ip)}]${n.hasPrefix ? pfx : ''}` : String(value).trim()
    default:
      throw new ExprError(`ipaddr query '${String(query)}' is not supported by kubeseed`, undefined, 'use address, host, net, network, subnet, prefix, netmask, size, broadcast, first_usable, last_usable, an integer, ipv4 or ipv6')
  }
}

/** ipaddr over a value or a list (a list keeps the matching results). */
export function ipaddr(value: unknown, query: unknown = '', version?: 4 | 6): unknown {
  if (Array.isArray(value)) return value.map((x) => ipaddrQuery(x, query, version)).filter((x) => x !== false)
  return ipaddrQuery(value, query, version)
}

export function ipwrap(value: unknown, query: unknown = ''): unknown {
  const one = (x: unknown): unknown => {
    const n = parseIp(x)
    if (!n) return x
    const r = ipaddrQuery(x, query)
    return n.version === 6 && typeof r === 'string' && !r.startsWith('[') ? `[${r.replace(/\/\d+$/, '')}]${r.match(/\/\d+$/)?.[0] ?? ''}` : r
  }
  return Array.isArray(value) ? value.map(one) : one(value)
}

export function ipmath(value: unknown, amount: unknown): string {
  const n = parseIp(value)
  if (!n) throw new ExprError(`ipmath: '${String(value)}' is not an IP address`)
  const r = n.ip + BigInt(Number(amount))
  if (r < 0n || r >= 1n << BigInt(bits(n.version))) throw new ExprError(`ipmath: ${String(value)} + ${String(amount)} is outside the address space`)
  return formatIp(n.version, r)
}

export function nextNthUsable(value: unknown, offset: unknown): string | null {
  const n = parseIp(value)
  if (!n || !n.hasPrefix) throw new ExprError(`next_nth_usable: '${String(value)}' is not an address with a prefix`)
  const r = n.ip + BigInt(Number(offset))
  const first = sizeOf(n) > 2n ? networkOf(n) + 1n : networkOf(n)
  const last = sizeOf(n) > 2n ? broadcastOf(n) - 1n : broadcastOf(n)
  return r >= first && r <= last ? formatIp(n.version, r) : null
}

export function nthhost(value: unknown, index: unknown): string | false {
  const n = parseIp(value)
  if (!n) return false
  const a = nthAddress(n, Number(index))
  return a === undefined ? false : formatIp(n.version, a)
}

/** The Nth address of a CIDR (negative counts from the end), for templates. */
export function cidrHost(cidr: string, index: number): string {
  const n = parseIp(cidr)
  if (!n || !n.hasPrefix) throw new ExprError(`'${cidr}' is not a CIDR such as 10.233.0.0/18`)
  const a = nthAddress(n, index)
  if (a === undefined) throw new ExprError(`${cidr} has no address number ${index} (it holds ${sizeOf(n)})`)
  return formatIp(n.version, a)
}
