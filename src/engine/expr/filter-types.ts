// The shape of a filter function.

export interface FilterContext {
  /** Apply another filter by name (map/select use it). */
  filter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): unknown
  /** Apply a test by name. */
  test(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>): boolean
}

export type Filter = (value: unknown, args: unknown[], kwargs: Record<string, unknown>, ctx: FilterContext) => unknown
