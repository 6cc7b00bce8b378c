// The address kubeadm advertises when none is configured: the IPv4 address of the interface
// that holds the default route (k8s.io/apimachinery/pkg/util/net.ChooseHostInterface).
import { networkInterfaces } from 'node:os'
import { readHostFile } from '../host/paths.js'
import { EmulatedFailure } from '../failure.js'

export function defaultRouteInterface(routeTable: string): string | undefined {
  for (const line of routeTable.split('\n').slice(1)) {
    const [iface, dest, , , , , , mask] = line.trim().split(/\s+/)
    if (dest === '00000000' && mask === '00000000') return iface
  }
  return undefined
}

export function defaultAdvertiseAddress(): string {
  const iface = defaultRouteInterface(readHostFile('/proc/net/route') ?? '')
  const addr = iface ? networkInterfaces()[iface]?.find((a) => a.family === 'IPv4' && !a.internal)?.address : undefined
  if (!addr) {
    throw new EmulatedFailure('unable to select an IP from default routes: no default routes found in "/proc/net/route" or "/proc/net/ipv6_route"; set localAPIEndpoint.advertiseAddress or --apiserver-advertise-address')
  }
  return addr
}
