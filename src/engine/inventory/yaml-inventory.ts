// Ansible's YAML inventory format: groups with `hosts`, `vars` and `children`, nested to any depth.
import { InventoryError } from '../errors.js'
import { keyLineAt } from '../yaml.js'
import { expandHostKey, HostPatternError } from './host-range.js'
import type { InventoryData } from './inventory-data.js'

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function isYamlInventory(value: unknown): value is Record<string, unknown> {
  return isMap(value) && Object.keys(value).length > 0
}

/**
 * YAML 1.1 reads an unquoted `1234` or `1.5` as a number; Ansible refuses such a host name. The reader
 * gives every key as a string, so the key is looked up, unquoted, on its own line.
 */
function numericKey(key: string, lineText: string | undefined): boolean {
  if (!/^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+|0x[0-9a-fA-F]+)$/.test(key)) return false
  return lineText !== undefined && new RegExp(`^\\s*(?:-\\s+)?${key.replace(/[.+]/g, '\\$&')}\\s*:`).test(lineText)
}

/** `data` comes from the YAML reader, which knows the line of each of its keys; `text` is the file's. */
export function parseYamlInventory(data: unknown, file: string, inv: InventoryData, text?: string): void {
  const lines = text?.split('\n')
  if (!isYamlInventory(data)) {
    throw new InventoryError('YAML inventory must be a non-empty mapping of group names', { file, line: 1 }, 'start with `all:` and put hosts under `hosts:`')
  }
  if ('plugin' in data) {
    throw new InventoryError('inventory plugin configurations are not supported', { file, line: keyLineAt(data, ['plugin']) }, 'list hosts and groups in a static YAML or INI inventory')
  }
  const r: Reading = { data, file, inv, lines }
  for (const [name, body] of Object.entries(data)) parseGroup(r, name, body, [name])
}

/** One inventory file being read: its data, its name and text (for lines), and the inventory it fills. */
interface Reading {
  data: Record<string, unknown>
  file: string
  inv: InventoryData
  lines: string[] | undefined
}

const whereOf = (r: Reading, path: string[]) => ({ file: r.file, line: keyLineAt(r.data, path) })

function parseGroup(r: Reading, name: string, body: unknown, path: string[]): string | undefined {
  const where = whereOf(r, path)
  if (!isMap(body) && body !== null && body !== undefined) {
    r.inv.warnings.push(`${r.file}:${where.line ?? 1}: skipped '${name}': a group must be a mapping with hosts, vars or children`)
    return undefined
  }
  const group = r.inv.addGroup(name, where)
  if (!body) return group
  for (const [section, content] of Object.entries(body)) {
    const secPath = [...path, section]
    const entries = sectionEntries(r, group, section, content, secPath)
    if (!entries) continue
    if (section === 'vars') {
      for (const [k, v] of Object.entries(entries)) r.inv.setGroupVar(group, k, v, whereOf(r, [...secPath, k]))
    } else if (section === 'children') {
      for (const [childName, childBody] of Object.entries(entries)) {
        const child = parseGroup(r, childName, childBody, [...secPath, childName])
        if (child !== undefined) r.inv.addChildGroup(group, child, whereOf(r, [...secPath, childName]))
      }
    } else {
      for (const [hostKey, hostVars] of Object.entries(entries)) parseHost(r, group, hostKey, hostVars, [...secPath, hostKey])
    }
  }
  return group
}

/** The name: value pairs of a group's `hosts`, `vars` or `children`; `undefined` for a section to skip. */
function sectionEntries(r: Reading, group: string, section: string, content: unknown, secPath: string[]): Record<string, unknown> | undefined {
  const secWhere = whereOf(r, secPath)
  if (!['vars', 'children', 'hosts'].includes(section)) {
    r.inv.warnings.push(`${r.file}:${secWhere.line ?? 1}: skipped unexpected key '${section}' in group '${group}' (only hosts, vars and children are valid)`)
    return undefined
  }
  // a bare string is shorthand for a one-entry mapping, as Ansible allows
  const entries = typeof content === 'string' ? { [content]: null } : content
  if (entries === null || entries === undefined) return undefined
  if (!isMap(entries)) {
    throw new InventoryError(`'${section}' of group '${group}' must be a mapping, found ${Array.isArray(entries) ? 'a list' : typeof entries}`, secWhere, `write ${section} as name: value pairs`)
  }
  return entries
}

/** One key under `hosts:` (a name or a range such as node[01:03]) with its variables. */
function parseHost(r: Reading, group: string, hostKey: string, hostVars: unknown, hostPath: string[]): void {
  const hostWhere = whereOf(r, hostPath)
  if (numericKey(hostKey, hostWhere.line ? r.lines?.[hostWhere.line - 1] : undefined)) {
    throw new InventoryError(`Host pattern ${hostKey} must be a string`, hostWhere, 'enclose integers/floats in quotation marks, as Ansible asks')
  }
  let expanded: { hosts: string[]; port?: number }
  try {
    expanded = expandHostKey(hostKey)
  } catch (e) {
    if (!(e instanceof HostPatternError)) throw e
    throw new InventoryError(e.message, hostWhere, 'write ranges as [01:10], [a:f] or [1:9:2]')
  }
  if (hostVars !== null && hostVars !== undefined && !isMap(hostVars)) {
    throw new InventoryError(`vars of host '${hostKey}' must be a mapping`, hostWhere, 'write host variables as name: value pairs under the host')
  }
  for (const h of expanded.hosts) {
    r.inv.addHost(h, group, expanded.port, hostWhere)
    for (const [k, v] of Object.entries(hostVars ?? {})) r.inv.setHostVar(h, k, v, whereOf(r, [...hostPath, k]))
  }
}
