// The output of ansible-inventory (--list, --graph [--vars], --host), so users can diff ours with theirs.
import { InventoryError } from '../errors.js'
import type { Inventory } from './model.js'
import { pyJson } from '../expr/json-text.js'
import { pyStr } from '../python-repr.js'

/** Variables ansible-inventory leaves out of its output (Ansible's INTERNAL_VARS). */
const INTERNAL_VARS = new Set([
  'ansible_diff_mode', 'ansible_config_file', 'ansible_facts', 'ansible_forks', 'ansible_inventory_sources',
  'ansible_limit', 'ansible_playbook_python', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity',
  'ansible_version', 'inventory_dir', 'inventory_file', 'inventory_hostname', 'inventory_hostname_short',
  'groups', 'group_names', 'omit', 'playbook_dir',
])

function withoutInternal(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).filter(([k]) => !INTERNAL_VARS.has(k)))
}

export function toAnsibleHost(inv: Inventory, host: string): Record<string, unknown> {
  if (!inv.hosts.has(host)) throw new InventoryError(`unknown host '${host}'`, undefined, 'use a host name from the inventory')
  return withoutInternal(inv.hostVars(host))
}

export function toAnsibleList(inv: Inventory): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  const seen = new Set<string>()
  const visit = (name: string): void => {
    const g = inv.groups.get(name)!
    const entry: Record<string, string[]> = {}
    if (name !== 'all' && g.hosts.length) entry.hosts = [...g.hosts]
    if (g.children.length) entry.children = [...g.children]
    if (Object.keys(entry).length) out[name] = entry
    for (const c of g.children) {
      if (!seen.has(c)) {
        seen.add(c)
        visit(c)
      }
    }
  }
  visit('all')
  const hostvars: Record<string, unknown> = {}
  for (const h of inv.hosts.keys()) {
    const vars = toAnsibleHost(inv, h)
    if (Object.keys(vars).length) hostvars[h] = vars
  }
  out._meta = { hostvars }
  return out
}

/** JSON as ansible-inventory prints it (indent 4, floats as floats: 3.0). */
export function ansibleJson(v: unknown): string {
  return pyJson(v, { indent: 4, ensureAscii: false })
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

export function toAnsibleGraph(inv: Inventory, group = 'all', withVars = false): string {
  if (!inv.groups.has(group)) {
    throw new InventoryError(`unknown group '${group}' for the graph`, undefined, 'give a group name from the inventory')
  }
  const indent = (depth: number, text: string): string => (depth ? `${'  |'.repeat(depth)}--${text}` : text)
  const varLines = (vars: Record<string, unknown>, depth: number): string[] =>
    Object.keys(vars)
      .sort(byName)
      .map((k) => indent(depth, `{${k} = ${pyStr(vars[k])}}`))
  const lines: string[] = []
  const walk = (name: string, depth: number): void => {
    const g = inv.groups.get(name)!
    lines.push(indent(depth, `@${name}:`))
    for (const c of g.children) walk(c, depth + 1)
    if (name !== 'all') {
      for (const h of g.hosts) {
        lines.push(indent(depth + 1, h))
        if (withVars) lines.push(...varLines(toAnsibleHost(inv, h), depth + 2))
      }
    }
    if (withVars) {
      const vars = withoutInternal(inv.groupVars(name))
      if (g.priority !== 1) vars.ansible_group_priority = g.priority
      lines.push(...varLines(vars, depth + 1))
    }
  }
  walk(group, 0)
  return lines.join('\n')
}
