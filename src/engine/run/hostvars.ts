// `hostvars`: every inventory host's variables, resolved lazily through that host's own scope, so a
// template reading hostvars[other].ansible_host costs nothing for the hosts it does not read.

import type { Scope } from '../vars/scope.js'

/** The scope is asked for on every read: what the host registers later in the play shows through. */
function scopeObject(scopeOf: () => Scope): object {
  return new Proxy({}, {
    get: (_t, k) => { const scope = scopeOf(); return typeof k === 'string' && scope.has(k) ? scope.get(k) : undefined },
    has: (_t, k) => typeof k === 'string' && scopeOf().has(k),
    getOwnPropertyDescriptor: (_t, k) => { const scope = scopeOf(); return typeof k === 'string' && scope.has(k)
      ? { configurable: true, enumerable: true, writable: false, value: scope.get(k) } : undefined },
    ownKeys: () => [],
  })
}

export function hostvarsProxy(hosts: readonly string[], scopeOf: (host: string) => Scope): Record<string, unknown> {
  const known = new Set(hosts)
  const cache = new Map<string, object>()
  const hostObject = (host: string) => {
    let o = cache.get(host)
    if (!o) { o = scopeObject(() => scopeOf(host)); cache.set(host, o) }
    return o
  }
  return new Proxy({}, {
    get: (_t, k) => (typeof k === 'string' && known.has(k) ? hostObject(k) : undefined),
    has: (_t, k) => typeof k === 'string' && known.has(k),
    getOwnPropertyDescriptor: (_t, k) => (typeof k === 'string' && known.has(k)
      ? { configurable: true, enumerable: true, writable: false, value: hostObject(k) } : undefined),
    ownKeys: () => [...hosts],
  })
}
