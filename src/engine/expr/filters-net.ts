// ansible.utils network filters.
import type { Filter } from './filter-types.js'
import { ipaddr, ipmath, ipwrap, nextNthUsable, nthhost } from './ipaddr.js'

export const NET_FILTERS: Record<string, Filter> = {
  ipaddr: (v, a) => ipaddr(v, a[0] ?? ''),
  ipv4: (v, a) => ipaddr(v, a[0] ?? '', 4),
  ipv6: (v, a) => ipaddr(v, a[0] ?? '', 6),
  ipwrap: (v, a) => ipwrap(v, a[0] ?? ''),
  ipmath: (v, a) => ipmath(v, a[0]),
  next_nth_usable: (v, a) => nextNthUsable(v, a[0]),
  nthhost: (v, a) => nthhost(v, a[0]),
}
