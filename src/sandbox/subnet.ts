// IPv4 subnet arithmetic for the sandbox bridge: the bastion takes .1, node i takes .(i+2).

import { UsageError } from '../engine/errors.js'
import { formatIPv4, parseIPv4 } from '../engine/ip-address.js'

export interface Subnet {
  /** Network address as a 32-bit unsigned integer. */
  network: number
  prefix: number
  cidr: string
}

export function parseSubnet(cidr: string): Subnet {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim())
  const address = m ? parseIPv4(m[1]) : undefined
  const prefix = m ? Number(m[2]) : NaN
  if (address === undefined || !(prefix >= 8 && prefix <= 29)) {
    throw new UsageError(`bad sandbox subnet "${cidr}"`, undefined, 'give an IPv4 CIDR with a prefix from /8 to /29, e.g. 10.231.0.0/24')
  }
  const size = 2 ** (32 - prefix)
  const network = address - (address % size)
  if (network !== address) {
    throw new UsageError(`sandbox subnet "${cidr}" has host bits set`, undefined, `use ${formatIPv4(network)}/${prefix}`)
  }
  return { network, prefix, cidr: `${formatIPv4(network)}/${prefix}` }
}

/** Usable node addresses: all but network, bastion (.1) and broadcast. */
export function nodeCapacity(subnet: Subnet): number {
  return 2 ** (32 - subnet.prefix) - 3
}

export function bastionAddress(subnet: Subnet): string {
  return formatIPv4(subnet.network + 1)
}

export function nodeAddress(subnet: Subnet, index: number): string {
  if (index < 0 || index >= nodeCapacity(subnet)) {
    throw new UsageError(`subnet ${subnet.cidr} has room for ${nodeCapacity(subnet)} nodes, not ${index + 1}`, undefined,
      'choose a larger subnet or fewer nodes')
  }
  return formatIPv4(subnet.network + 2 + index)
}

export function contains(subnet: Subnet, address: string): boolean {
  const value = parseIPv4(address)
  if (value === undefined) return false
  const size = 2 ** (32 - subnet.prefix)
  return value - (value % size) === subnet.network
}
