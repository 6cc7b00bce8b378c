// A layer of variables as the scope stacks them (the inventory's VarLayer, plus a flag for data).
import type { VarLayer } from '../inventory/model.js'

export type { VarLayer }

export interface ScopeLayer extends VarLayer {
  /** Values are data, never templated: registered results, facts, loop items already rendered. */
  literal?: boolean
}
