// The filter registry: short names, Jinja aliases and fully qualified Ansible names.
import { ExprError } from '../errors.js'
import { COLLECTION_FILTERS } from './filters-collection.js'
import { DATA_FILTERS } from './filters-data.js'
import { NET_FILTERS } from './filters-net.js'
import { TEXT_FILTERS } from './filters-text.js'
import type { Filter, FilterContext } from './filter-types.js'
import { applyTest } from './jinja-tests.js'
import { need } from './undefined.js'

const FILTERS: Record<string, Filter> = { ...COLLECTION_FILTERS, ...TEXT_FILTERS, ...DATA_FILTERS, ...NET_FILTERS }
const ALIASES: Record<string, string> = { d: 'default', count: 'length', e: 'safe', tojson: 'to_json', version: 'version_compare' }
// Only these may receive an undefined value (`x | default('y')`).
const UNDEFINED_OK = new Set(['default', 'mandatory'])

export function filterName(name: string): string | undefined {
  const short = name.replace(/^ansible\.(builtin|utils|netcommon)\./, '')
  const n = ALIASES[short] ?? short
  return Object.hasOwn(FILTERS, n) ? n : undefined
}

const ctx: FilterContext = {
  filter: (name, value, args, kwargs) => applyFilter(name, value, args, kwargs),
  test: (name, value, args, kwargs) => applyTest(name, value, args, kwargs),
}

/** `expr` is the filtered expression's text, for the error message of an unknown filter. */
export function applyFilter(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, expr?: string): unknown {
  const n = filterName(name)
  if (!n) throw new ExprError(`filter '${name}' is not supported by kubeseed${expr ? ` (applied to "${expr}")` : ''}`, undefined, 'kubeseed supports the Jinja2, ansible.builtin and ansible.utils filters kubespray uses; compute this value in the inventory instead')
  if (!UNDEFINED_OK.has(n)) {
    need(value)
    args.forEach(need)
    Object.values(kwargs).forEach(need)
  }
  return FILTERS[n]!(value, args, kwargs, ctx)
}

export const SUPPORTED_FILTERS: readonly string[] = Object.keys(FILTERS)
