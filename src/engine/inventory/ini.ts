// Ansible's INI inventory format: [group], [group:vars], [group:children], host lines with
// inline vars and ranges. Values go through Python literal parsing exactly as Ansible does.
import { InventoryError } from '../errors.js'
import { expandHostKey, HostPatternError } from './host-range.js'
import type { InventoryData } from './inventory-data.js'
import { iniValue } from './python-literal.js'
import { shlexSplit, ShlexError } from '../shlex.js'

const SECTION_RE = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/
const GROUP_NAME_RE = /^([^:\]\s]+)\s*(?:#.*)?$/

type SectionKind = 'hosts' | 'vars' | 'children'

interface Pending {
  line: number
  state: 'vars' | 'children'
  name: string
  parents: string[]
}

function failAt(where: { file: string; line: number }, what: string, hint: string): never {
  throw new InventoryError(what, where, hint)
}

/** `host[01:03]:2222 k=v ...`: the hosts of the key, each with the line's variables, into `group`. */
function parseHostLine(line: string, group: string, inv: InventoryData, where: { file: string; line: number }): void {
  let words: string[]
  try {
    words = shlexSplit(line, { comments: true })
  } catch (e) {
    if (!(e instanceof ShlexError)) throw e
    return failAt(where, `cannot parse host line '${line}': ${e.message}`, 'close the quotes')
  }
  if (words.length === 0) return
  const key = words[0]!
  let hosts: string[]
  let port: number | undefined
  try {
    ;({ hosts, port } = expandHostKey(key))
  } catch (e) {
    if (!(e instanceof HostPatternError)) throw e
    return failAt(where, e.message, 'write ranges as [01:10], [a:f] or [1:9:2]')
  }
  if (key.endsWith(':') && port === undefined) {
    failAt(where, `host '${key}' ends in ':'`, 'a colon after a host name must be followed by a port number')
  }
  if (hosts.some((h) => h.trim() === '---')) {
    failAt(where, `host '---' looks like the start of a YAML document`, 'name the file .yml or .yaml if it is a YAML inventory')
  }
  const vars: [string, unknown][] = []
  for (const w of words.slice(1)) {
    const eq = w.indexOf('=')
    if (eq < 0) failAt(where, `expected key=value after host '${key}', got '${w}'`, 'write host variables as name=value')
    vars.push([w.slice(0, eq), iniValue(w.slice(eq + 1))])
  }
  for (const h of hosts) {
    inv.addHost(h, group, port, where)
    for (const [k, v] of vars) inv.setHostVar(h, k, v, where)
  }
}

/** A line of [group:children]: the child now, or once it is declared when it is not yet. */
function parseChildLine(line: string, group: string, inv: InventoryData, pending: Map<string, Pending>, where: { file: string; line: number }): void {
  const m = GROUP_NAME_RE.exec(line)
  if (!m) failAt(where, `expected a group name in [${group}:children], got '${line}'`, 'list one group name per line')
  const child = inv.groupName(m![1]!, where)
  if (inv.groups.has(child)) return inv.addChildGroup(group, child, where)
  const p = pending.get(child)
  if (p) p.parents.push(group)
  else pending.set(child, { line: where.line, state: 'children', name: child, parents: [group] })
}

/** Groups named in [x:vars] or [x:children] that were never declared: Ansible's check at the end of the file. */
function failOnPending(pending: Map<string, Pending>, file: string): void {
  for (const p of pending.values()) {
    const where = { file, line: p.line }
    if (p.state === 'vars') {
      failAt(where, `section [${p.name}:vars] is for group '${p.name}', which is not defined`, `add a [${p.name}] or [${p.name}:children] section`)
    }
    failAt(where, `section [${p.parents[p.parents.length - 1]}:children] includes undefined group '${p.name}'`, `add a [${p.name}] section (it may be empty)`)
  }
}

export function parseIni(text: string, file: string, inv: InventoryData): void {
  let group = 'ungrouped'
  let state: SectionKind = 'hosts' as SectionKind
  let lineNo = 0
  // groups named in [x:vars] or [x:children] before being declared; Ansible checks them at the end
  const pending = new Map<string, Pending>()

  const addPendingChildren = (child: string): void => {
    const p = pending.get(child)!
    pending.delete(child)
    for (const parent of p.parents) {
      inv.addChildGroup(parent, child, { file, line: p.line })
      if (pending.get(parent)?.state === 'children') addPendingChildren(parent)
    }
  }

  for (const rawLine of text.split(/\r?\n/)) {
    lineNo++
    const line = rawLine.trim()
    if (!line || line[0] === '#' || line[0] === ';') continue
    const where = { file, line: lineNo }

    const section = SECTION_RE.exec(line)
    if (section) {
      const kind = section[2] ?? 'hosts'
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        failAt(where, `section [${section[1]}:${kind}] has unknown type '${kind}'`, 'use [group], [group:vars] or [group:children]')
      }
      state = kind as SectionKind
      const known = inv.groups.has(inv.groupName(section[1]!, where))
      group = inv.addGroup(section[1]!, where)
      if (!known && state === 'vars' && !pending.has(group)) {
        pending.set(group, { line: lineNo, state: 'vars', name: group, parents: [] })
      }
      const p = pending.get(group)
      if (p && state !== 'vars') {
        if (p.state === 'children') addPendingChildren(group)
        else pending.delete(group)
      }
      continue
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      failAt(where, `invalid section header '${line}'`, 'a section is [name], [name:vars] or [name:children], without spaces')
    }

    if (state === 'hosts') {
      parseHostLine(line, group, inv, where)
    } else if (state === 'vars') {
      const eq = line.indexOf('=')
      if (eq < 0) failAt(where, `expected key=value in [${group}:vars], got '${line}'`, 'write group variables as name=value')
      inv.setGroupVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), where)
    } else {
      parseChildLine(line, group, inv, pending, where)
    }
  }

  failOnPending(pending, file)
}
