// IPv4/IPv6 CIDR parsing and overlap, for the inventory's network checks.
import { isIPv4, isIPv6 } from 'node:net'

export interface Cidr {
  family: 4 | 6
  /** network address as an integer (host bits cleared) */
  base: bigint
  prefix: number
}

function ipv4ToBigInt(ip: string): bigint {
  return ip.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n)
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip
  // an embedded IPv4 tail (::ffff:1.2.3.4) becomes two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const n = ipv4ToBigInt(v4[1]!)
    text = `${text.slice(0, -v4[1]!.length)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n)
}

export function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/\s]+)\/(\d{1,3})$/.exec(text.trim())
  if (!m) return undefined
  const prefix = Number(m[2])
  const family = isIPv4(m[1]!) ? 4 : isIPv6(m[1]!) ? 6 : undefined
  if (!family) return undefined
  const bits = family === 4 ? 32 : 128
  if (prefix > bits) return undefined
  const addr = family === 4 ? ipv4ToBigInt(m[1]!) : ipv6ToBigInt(m[1]!)
  const hostBits = BigInt(bits - prefix)
  return { family, base: (addr >> hostBits) << hostBits, prefix }
}

export function cidrOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false
  const bits = a.family === 4 ? 32 : 128
  const shift = BigInt(bits - Math.min(a.prefix, b.prefix))
  return a.base >> shift === b.base >> shift
}
