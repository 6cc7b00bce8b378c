// Ansible host patterns: 'all', 'a:b' / 'a,b' union, 'a:&b' intersection, 'a:!b' exclusion,
// subscripts 'g[0]' 'g[1:3]' 'g[-1]', wildcards 'node*' and regexes '~web\d+'.
// A part that names nothing is an error (a typo in --limit must not silently shrink a run) unless the
// caller takes it as Ansible takes a play's pattern: warned about and ignored.
import { InventoryError } from '../errors.js'
import { splitPort } from './host-range.js'
import { currentGroupName } from './kubespray-groups.js'
import type { Inventory } from './model.js'

const SUBSCRIPT_RE = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/

/** Splits a pattern into its parts the way Ansible's split_host_pattern does. */
export function splitHostPattern(pattern: string): string[] {
  let parts: string[]
  if (pattern.includes(',')) parts = pattern.split(',')
  else if (isSingleAddress(pattern)) parts = [pattern]
  else parts = pattern.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? []
  return parts.map((p) => p.trim()).filter((p) => p)
}

// An IPv6 address or host:port is one pattern even though it holds colons.
function isSingleAddress(pattern: string): boolean {
  if (splitPort(pattern).port !== undefined) return true
  return /^[0-9a-f:]+(?:\[[0-9a-f]+:[0-9a-f]+\][0-9a-f:]*)*$/i.test(pattern) && (pattern.match(/:/g) ?? []).length >= 2
}

/** Python fnmatch.translate, anchored at both ends. */
function globToRegExp(glob: string): RegExp {
  let re = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*') re += '.*'
    else if (c === '?') re += '.'
    else if (c === '[') {
      let j = i + 1
      if (glob[j] === '!' || glob[j] === ']') j++
      while (j < glob.length && glob[j] !== ']') j++
      if (j >= glob.length) {
        re += '\\['
        continue
      }
      let body = glob.slice(i + 1, j).replace(/\\/g, '\\\\')
      if (body.startsWith('!')) body = `^${body.slice(1)}`
      else if (body.startsWith('^')) body = `\\${body}`
      re += `[${body}]`
      i = j
    } else re += c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
  }
  return new RegExp(`^(?:${re})$`, 's')
}

function matcher(expr: string, whole: string): (name: string) => boolean {
  try {
    const re = expr.startsWith('~') ? new RegExp(`^(?:${expr.slice(1)})`) : globToRegExp(expr)
    return (name) => re.test(name)
  } catch (e) {
    throw new InventoryError(`invalid host pattern '${expr}' in '${whole}': ${(e as Error).message}`, undefined, 'fix the regular expression after ~')
  }
}

/** Called with a pattern part that names no group or host; without it such a part is an error. */
export type OnUnmatched = (part: string) => void

function enumerate(inv: Inventory, expr: string, whole: string, unmatched?: OnUnmatched): string[] {
  const match = matcher(expr, whole)
  const groups = [...inv.groups.keys()].filter(match)
  const out: string[] = []
  for (const g of groups) out.push(...inv.groupHosts(g))
  if (groups.length === 0 || expr.startsWith('~') || /[.?*[]/.test(expr)) {
    for (const h of inv.hosts.keys()) if (match(h)) out.push(h)
  }
  if (out.length === 0 && groups.length === 0 && expr !== 'all') {
    const current = currentGroupName(expr)
    if (current !== expr && inv.groups.has(current)) return inv.groupHosts(current)
    if (unmatched) {
      unmatched(expr)
      return []
    }
    throw new InventoryError(`unknown group or host '${expr}' in pattern '${whole}'`, undefined, 'check the name against the inventory (kubeseed inventory --graph)')
  }
  return out
}

function matchOne(inv: Inventory, part: string, whole: string, unmatched?: OnUnmatched): string[] {
  const bare = part[0] === '&' || part[0] === '!' ? part.slice(1) : part
  const m = bare[0] === '~' ? null : SUBSCRIPT_RE.exec(bare)
  if (!m) return enumerate(inv, bare, whole, unmatched)
  const [, expr, idx, start, , endText] = m
  const hosts = enumerate(inv, expr!, whole, unmatched)
  if (!hosts.length && unmatched) return []
  const miss = (): never => {
    throw new InventoryError(`no hosts match the subscripted pattern '${bare}' in '${whole}'`, undefined, `'${expr}' has ${hosts.length} host(s); subscripts count from 0`)
  }
  if (idx !== undefined) {
    const i = Number(idx)
    const h = i < 0 ? hosts[hosts.length + i] : hosts[i]
    return h === undefined ? miss() : [h]
  }
  const from = Number(start)
  let end = endText ? Number(endText) : -1
  // Ansible treats an end of 0 (`g[2:0]`) as "just the start"
  if (end === 0) return hosts[from] === undefined ? miss() : [hosts[from]!]
  if (end === -1) end = hosts.length - 1
  return hosts.slice(from, end + 1)
}

/** Hosts a pattern selects, in Ansible's order. */
export function selectHosts(inv: Inventory, pattern: string, unmatched?: OnUnmatched): string[] {
  const parts = splitHostPattern(pattern)
  const regular = parts.filter((p) => p[0] !== '&' && p[0] !== '!')
  const ordered = [
    ...(regular.length ? regular : ['all']),
    ...parts.filter((p) => p[0] === '&'),
    ...parts.filter((p) => p[0] === '!'),
  ]
  let hosts: string[] = []
  for (const p of ordered) {
    if (inv.hosts.has(p)) {
      if (!hosts.includes(p)) hosts.push(p)
      continue
    }
    const that = matchOne(inv, p, pattern, unmatched)
    if (p[0] === '!') {
      const drop = new Set(that)
      hosts = hosts.filter((h) => !drop.has(h))
    } else if (p[0] === '&') {
      const keep = new Set(that)
      hosts = hosts.filter((h) => keep.has(h))
    } else {
      const have = new Set(hosts)
      for (const h of that) {
        if (!have.has(h)) {
          have.add(h)
          hosts.push(h)
        }
      }
    }
  }
  return hosts
}
