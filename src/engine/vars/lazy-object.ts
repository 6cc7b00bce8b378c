// A scope seen as a plain object whose properties render on first read: for handlebars
// contexts and for `hostvars[other]`. Only variables actually read are ever rendered.
import type { Scope } from './scope.js'

export function lazyVars(scope: Scope, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const has = (k: string | symbol): k is string => typeof k === 'string' && (Object.hasOwn(extra, k) || scope.has(k))
  const get = (k: string): unknown => (Object.hasOwn(extra, k) ? extra[k] : scope.get(k))
  return new Proxy(Object.create(null) as Record<string, unknown>, {
    has: (_t, k) => has(k),
    get: (_t, k) => {
      // Messages that print the object (handlebars' strict errors) must not fail on it.
      if (k === Symbol.toPrimitive) return () => `[variables of ${scope.host}]`
      return has(k) ? get(k) : undefined
    },
    getOwnPropertyDescriptor: (_t, k) => (has(k) ? { value: get(k), writable: false, enumerable: true, configurable: true } : undefined),
    ownKeys: () => [...new Set([...Object.keys(extra), ...Object.keys(scope.toObject())])],
    set: () => false,
    defineProperty: () => false,
    deleteProperty: () => false,
  })
}
