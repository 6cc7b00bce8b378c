// The ipaddr family of filters and the cidrHost helper, over the address arithmetic of ../ip-address.ts.
// Semantics follow ansible.utils.ipaddr (netaddr) for the queries kubespray uses.
import { ExprError } from '../errors.js'
import { addressBits as bits, broadcastOf, formatIp, maskOf, networkOf, nthAddress, parseIp, sizeOf, type IpNet } from '../ip-address.js'

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
  if (query === '' || query === null || query === undefined) return String(value).trim()
  if (typeof query === 'number' || (typeof query === 'string' && /^-?\d+$/.test(query))) return nthQuery(n, Number(query))
  return networkQuery(n, query) ?? kindQuery(n, String(value).trim(), query)
}

/** An integer query: the nth address of the network, with its prefix. */
function nthQuery(n: IpNet, index: number): Result {
  const v = n.version
  if (sizeOf(n) === 1n) return n.hasPrefix ? formatIp(v, n.ip) + `/${n.prefix}` : formatIp(v, n.ip)
  const a = nthAddress(n, index)
  return a === undefined ? false : formatIp(v, a) + `/${n.prefix}`
}

/** The queries about the address's place in its network; `undefined` for any other query. */
function networkQuery(n: IpNet, query: unknown): Result | undefined {
  const v = n.version
  const size = sizeOf(n)
  const net = networkOf(n)
  const pfx = `/${n.prefix}`
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
    default:
      return undefined
  }
}

/** The queries about the kind of address (version, private or public) and its other spellings. */
function kindQuery(n: IpNet, text: string, query: unknown): Result {
  const v = n.version
  const pfx = `/${n.prefix}`
  switch (query) {
    case 'version':
      return v
    case 'ipv4':
      return v === 4 ? text : false
    case 'ipv6':
      return v === 6 ? text : false
    case 'private':
      return isPrivate(n) ? text : false
    case 'public':
      return isPrivate(n) ? false : text
    case 'bool':
      return true
    case 'int':
      return n.hasPrefix ? `${n.ip}${pfx}` : Number(n.ip)
    case 'wrap':
      return v === 6 ? `[${formatIp(v, n.ip)}]${n.hasPrefix ? pfx : ''}` : text
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
