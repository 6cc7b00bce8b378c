// `hostvars`: every inventory host's variables, resolved lazily through that host's own scope, so a
// template reading hostvars[other].ansible_host costs nothing for the hosts it does not read. The scope
// is asked for at each read: a host's scope changes as set_fact and register add to it.

import type { Scope } from '../vars/scope.js'

function scopeObject(scope: Scope): object {
  return new Proxy({}, {
    get: (_t, k) => (typeof k === 'string' && scope.has(k) ? scope.get(k) : undefined),
    has: (_t, k) => typeof k === 'string' && scope.has(k),
    getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && scope.has(k)
      ? { configurable: true, enumerable: true, writable: false, value: scope.get(k) } : undefined),
    ownKeys: () => [],
  })
}

export function hostvarsProxy(hosts: readonly string[], scopeOf: (host: string) => Scope): Record<string, unknown> {
  const known = new Set(hosts)
  const cache = new Map<string, { scope: Scope; object: object }>()
  const hostObject = (host: string) => {
    const scope = scopeOf(host)
    let c = cache.get(host)
    if (c?.scope !== scope) { c = { scope, object: scopeObject(scope) }; cache.set(host, c) }
    return c.object
  }
  return new Proxy({}, {
    get: (_t, k) => (typeof k === 'string' && known.has(k) ? hostObject(k) : undefined),
    has: (_t, k) => typeof k === 'string' && known.has(k),
    getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && known.has(k)
      ? { configurable: true, enumerable: true, writable: false, value: hostObject(k) } : undefined),
    ownKeys: () => [...hosts],
  })
}
