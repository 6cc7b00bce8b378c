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
  const lineOf = (path: string[]): number | undefined => keyLineAt(data, path)

  const parseGroup = (name: string, body: unknown, path: string[]): string | undefined => {
    const where = { file, line: lineOf(path) }
    if (!isMap(body) && body !== null && body !== undefined) {
      inv.warnings.push(`${file}:${where.line ?? 1}: skipped '${name}': a group must be a mapping with hosts, vars or children`)
      return undefined
    }
    const group = inv.addGroup(name, where)
    if (!body) return group
    for (const [section, content] of Object.entries(body)) {
      const secPath = [...path, section]
      const secWhere = { file, line: lineOf(secPath) }
      if (!['vars', 'children', 'hosts'].includes(section)) {
        inv.warnings.push(`${file}:${secWhere.line ?? 1}: skipped unexpected key '${section}' in group '${group}' (only hosts, vars and children are valid)`)
        continue
      }
      // a bare string is shorthand for a one-entry mapping, as Ansible allows
      const entries = typeof content === 'string' ? { [content]: null } : content
      if (entries === null || entries === undefined) continue
      if (!isMap(entries)) {
        throw new InventoryError(`'${section}' of group '${group}' must be a mapping, found ${Array.isArray(entries) ? 'a list' : typeof entries}`, secWhere, `write ${section} as name: value pairs`)
      }
      if (section === 'vars') {
        for (const [k, v] of Object.entries(entries)) inv.setGroupVar(group, k, v, { file, line: lineOf([...secPath, k]) })
      } else if (section === 'children') {
        for (const [childName, childBody] of Object.entries(entries)) {
          const child = parseGroup(childName, childBody, [...secPath, childName])
          if (child !== undefined) inv.addChildGroup(group, child, { file, line: lineOf([...secPath, childName]) })
        }
      } else {
        for (const [hostKey, hostVars] of Object.entries(entries)) {
          const hostPath = [...secPath, hostKey]
          const hostWhere = { file, line: lineOf(hostPath) }
          if (numericKey(hostKey, hostWhere.line ? lines?.[hostWhere.line - 1] : undefined)) {
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
            inv.addHost(h, group, expanded.port, hostWhere)
            for (const [k, v] of Object.entries(hostVars ?? {})) inv.setHostVar(h, k, v, { file, line: lineOf([...hostPath, k]) })
          }
        }
      }
    }
    return group
  }

  for (const [name, body] of Object.entries(data)) parseGroup(name, body, [name])
}
