// What the runner needs from a variable scope (implemented by src/engine/vars).

import type { Where } from '../errors.js'
import type { ScopeLayer } from '../vars/layer.js'

export interface Scope {
  child(layer: ScopeLayer): Scope
  get(name: string): unknown
  has(name: string): boolean
  render(value: unknown, where?: Where): unknown
  evaluate(expr: string, where?: Where): unknown
  truthy(expr: string | boolean, where?: Where): boolean
}

export type ScopeFactory = (layers: ScopeLayer[], opts: { host: string; magic?: Record<string, () => unknown> }) => Scope
