// IPv4/IPv6 addresses and networks as numbers: parsing (netaddr's forms: `a.b.c.d/nn`, `/mask`, `[v6]`),
// formatting (RFC 5952 for IPv6) and the arithmetic the ipaddr filters, the inventory checks and the
// sandbox's subnets share.

export interface IpNet {
  version: 4 | 6
  ip: bigint
  prefix: number
  /** The input carried a `/prefix` (a network), rather than a bare address. */
  hasPrefix: boolean
}

export const addressBits = (v: 4 | 6): number => (v === 4 ? 32 : 128)

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
  if (pfx === undefined) return { version, ip, prefix: addressBits(version), hasPrefix: false }
  let prefix: number | undefined
  if (/^\d{1,3}$/.test(pfx)) prefix = Number(pfx)
  else if (version === 4) {
    const m = parseV4(pfx)
    prefix = m === undefined ? undefined : maskToPrefix(m)
  }
  if (prefix === undefined || prefix > addressBits(version)) return undefined
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
  const total = BigInt(addressBits(n.version))
  return ((1n << total) - 1n) ^ ((1n << (total - BigInt(n.prefix))) - 1n)
}

export const networkOf = (n: IpNet): bigint => n.ip & maskOf(n)
export const sizeOf = (n: IpNet): bigint => 1n << BigInt(addressBits(n.version) - n.prefix)
export const broadcastOf = (n: IpNet): bigint => networkOf(n) + sizeOf(n) - 1n

/** The Nth address of a network counting from its network address (negative: from its last address). */
export function nthAddress(n: IpNet, index: number | bigint): bigint | undefined {
  const i = BigInt(index)
  const size = sizeOf(n)
  const off = i < 0n ? size + i : i
  if (off < 0n || off >= size) return undefined
  return networkOf(n) + off
}

/** An IPv4 address without prefix as a 32-bit unsigned number. */
export function parseIPv4(text: string): number | undefined {
  const n = parseIp(text)
  return n && n.version === 4 && !n.hasPrefix ? Number(n.ip) : undefined
}

export const formatIPv4 = (value: number): string => formatIp(4, BigInt(value))

/** A network written with its prefix (`10.233.0.0/18`, `fd85::/64`); a bare address is not one. */
export function parseCidr(text: string): IpNet | undefined {
  const n = parseIp(text)
  return n?.hasPrefix ? n : undefined
}

export function cidrOverlap(a: IpNet, b: IpNet): boolean {
  if (a.version !== b.version) return false
  const wider = a.prefix <= b.prefix ? a : b
  return (a.ip & maskOf(wider)) === (b.ip & maskOf(wider))
}
