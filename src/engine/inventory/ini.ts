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

export function parseIni(text: string, file: string, inv: InventoryData): void {
  let group = 'ungrouped'
  let state: SectionKind = 'hosts' as SectionKind
  let lineNo = 0
  // groups named in [x:vars] or [x:children] before being declared; Ansible checks them at the end
  const pending = new Map<string, Pending>()
  const fail = (what: string, hint: string): never => {
    throw new InventoryError(what, { file, line: lineNo }, hint)
  }

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
        fail(`section [${section[1]}:${kind}] has unknown type '${kind}'`, 'use [group], [group:vars] or [group:children]')
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
      fail(`invalid section header '${line}'`, 'a section is [name], [name:vars] or [name:children], without spaces')
    }

    if (state === 'hosts') {
      let words: string[]
      try {
        words = shlexSplit(line, { comments: true })
      } catch (e) {
        if (!(e instanceof ShlexError)) throw e
        return fail(`cannot parse host line '${line}': ${e.message}`, 'close the quotes')
      }
      if (words.length === 0) continue
      const key = words[0]!
      let hosts: string[]
      let port: number | undefined
      try {
        ;({ hosts, port } = expandHostKey(key))
      } catch (e) {
        if (!(e instanceof HostPatternError)) throw e
        return fail(e.message, 'write ranges as [01:10], [a:f] or [1:9:2]')
      }
      if (key.endsWith(':') && port === undefined) {
        fail(`host '${key}' ends in ':'`, 'a colon after a host name must be followed by a port number')
      }
      if (hosts.some((h) => h.trim() === '---')) {
        fail(`host '---' looks like the start of a YAML document`, 'name the file .yml or .yaml if it is a YAML inventory')
      }
      const vars: [string, unknown][] = []
      for (const w of words.slice(1)) {
        const eq = w.indexOf('=')
        if (eq < 0) fail(`expected key=value after host '${key}', got '${w}'`, 'write host variables as name=value')
        vars.push([w.slice(0, eq), iniValue(w.slice(eq + 1))])
      }
      for (const h of hosts) {
        inv.addHost(h, group, port, where)
        for (const [k, v] of vars) inv.setHostVar(h, k, v, where)
      }
    } else if (state === 'vars') {
      const eq = line.indexOf('=')
      if (eq < 0) fail(`expected key=value in [${group}:vars], got '${line}'`, 'write group variables as name=value')
      inv.setGroupVar(group, line.slice(0, eq).trim(), iniValue(line.slice(eq + 1).trim()), where)
    } else {
      const m = GROUP_NAME_RE.exec(line)
      if (!m) fail(`expected a group name in [${group}:children], got '${line}'`, 'list one group name per line')
      const child = inv.groupName(m![1]!, where)
      if (!inv.groups.has(child)) {
        const p = pending.get(child)
        if (p) p.parents.push(group)
        else pending.set(child, { line: lineNo, state: 'children', name: child, parents: [group] })
      } else {
        inv.addChildGroup(group, child, where)
      }
    }
  }

  for (const p of pending.values()) {
    lineNo = p.line
    if (p.state === 'vars') {
      fail(`section [${p.name}:vars] is for group '${p.name}', which is not defined`, `add a [${p.name}] or [${p.name}:children] section`)
    }
    fail(
      `section [${p.parents[p.parents.length - 1]}:children] includes undefined group '${p.name}'`,
      `add a [${p.name}] section (it may be empty)`,
    )
  }
}
