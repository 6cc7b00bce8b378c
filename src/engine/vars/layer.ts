// Layers of variables as a scope stacks them, lowest first: the inventory produces VarLayers, the run adds
// ScopeLayers (facts, play and role vars, registered results).

export interface VarLayer {
  /** file path the values came from ('inventory host vars' when no file applies) */
  source: string
  vars: Record<string, unknown>
  /** 1-based line of each key in `source`, where known */
  lines?: Record<string, number>
}

export interface ScopeLayer extends VarLayer {
  /** Values are data, never templated: registered results, facts, loop items already rendered. */
  literal?: boolean
}
