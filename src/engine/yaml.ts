// The one YAML reader: YAML as Ansible reads it (PyYAML's YAML 1.1 resolvers, ./yaml-schema.ts), with the
// source line of every mapping, sequence and mapping key kept for error messages. Playbooks, roles,
// inventories, vars files and `-e @file` all come through here.

import { constructFromEvents, EVENT_ALIAS, EVENT_MAPPING, EVENT_POP, EVENT_SCALAR, EVENT_SEQUENCE, getScalarValue, parseEvents, YAMLException } from 'js-yaml'
import type { Event } from 'js-yaml'
import { KubeseedError, type Where } from './errors.js'
import { ANSIBLE_YAML_SCHEMA } from './yaml-schema.js'
import { lineLocator } from './text-lines.js'


/** Line (1-based) of every mapping and sequence that came from YAML, and of each key of a mapping. */
const nodeLines = new WeakMap<object, number>()
const keyLines = new WeakMap<object, Record<string, number>>()

export function lineOf(node: unknown): number | undefined {
  return node !== null && typeof node === 'object' ? nodeLines.get(node) : undefined
}

export function keyLineOf(node: unknown, key: string): number | undefined {
  return node !== null && typeof node === 'object' ? keyLines.get(node)?.[key] : undefined
}

/** Lines of the keys of a mapping, for var layers. */
export function keyLinesOf(node: unknown): Record<string, number> | undefined {
  return node !== null && typeof node === 'object' ? keyLines.get(node) : undefined
}

/** The line of `path`'s last key, the path running through nested mappings from `root`. */
export function keyLineAt(root: unknown, path: readonly string[]): number | undefined {
  let node = root
  for (const key of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return path.length ? keyLineOf(node, path[path.length - 1]!) : undefined
}

export class YamlError extends KubeseedError {
  /** What is wrong, without the place: for callers that report it under their own error class. */
  readonly reason: string
  constructor(reason: string, where: Where) {
    super(`invalid YAML: ${reason}`, where, 'fix the syntax at that line')
    this.reason = reason
  }
}

export interface YamlOptions {
  /** A key given twice keeps its last value, as Ansible does with a warning (otherwise an error). */
  lastKeyWins?: boolean
}

type Ev = Event & { start?: number; valueStart?: number }

/** Walk events and constructed values together (both in document order) to record lines. */
function annotate(events: Ev[], docs: unknown[], sourceText: string): void {
  const lineAt = lineLocator(sourceText)
  let i = 0
  const offsetOf = (e: Ev) => (e.start ?? e.valueStart ?? -1)
  const skip = (): void => {
    const e = events[i++]
    if (e.type === EVENT_MAPPING || e.type === EVENT_SEQUENCE) {
      while (events[i].type !== EVENT_POP) skip()
      i++
    }
  }
  const walk = (value: unknown): void => {
    const e = events[i]
    if (e.type === EVENT_SCALAR || e.type === EVENT_ALIAS) { i++; return }
    if (e.type === EVENT_MAPPING) {
      i++
      const isObj = value !== null && typeof value === 'object' && !Array.isArray(value)
      if (isObj && offsetOf(e) >= 0) nodeLines.set(value as object, lineAt(offsetOf(e)))
      const lines: Record<string, number> = {}
      while (events[i].type !== EVENT_POP) {
        const k = events[i]
        if (k.type !== EVENT_SCALAR || !isObj) { skip(); skip(); continue }
        i++
        const text = k.valueStart !== undefined ? getScalarValue(sourceText, k) : undefined
        const key = text !== undefined && Object.hasOwn(value as object, text) ? text : undefined
        if (key !== undefined) lines[key] = lineAt(k.valueStart!)
        if (key !== undefined) walk((value as Record<string, unknown>)[key])
        else skip()
      }
      i++
      if (isObj) keyLines.set(value as object, lines)
      return
    }
    if (e.type === EVENT_SEQUENCE) {
      i++
      if (Array.isArray(value) && offsetOf(e) >= 0) nodeLines.set(value, lineAt(offsetOf(e)))
      let n = 0
      while (events[i].type !== EVENT_POP) {
        if (Array.isArray(value)) walk(value[n++])
        else skip()
      }
      i++
      return
    }
    i++
  }
  let d = 0
  while (i < events.length) {
    const e = events[i]
    if (e.type === EVENT_MAPPING || e.type === EVENT_SEQUENCE || e.type === EVENT_SCALAR || e.type === EVENT_ALIAS) walk(docs[d++])
    else i++
  }
}

/** Parse all documents of a YAML file the way Ansible does, recording lines. Errors name file:line. */
export function loadYamlAll(text: string, file: string, opts: YamlOptions = {}): unknown[] {
  try {
    const events = parseEvents(text, { filename: file }) as Ev[]
    const docs = constructFromEvents(events, { source: text, filename: file, schema: ANSIBLE_YAML_SCHEMA, json: opts.lastKeyWins })
    try {
      annotate(events, docs, text)
    } catch {
      // Line numbers are a courtesy: a document shape the walker does not follow keeps its values, loses lines.
    }
    return docs
  } catch (e) {
    if (e instanceof YAMLException) {
      const mark = (e as unknown as { mark?: { line?: number } }).mark
      const line = mark?.line !== undefined ? mark.line + 1 : undefined
      const reason = (e as unknown as { reason?: string }).reason ?? e.message.split('\n')[0]
      throw new YamlError(reason, { file, line })
    }
    throw e
  }
}

/** One document (an empty file is null). */
export function loadYaml(text: string, file: string, opts: YamlOptions = {}): unknown {
  const docs = loadYamlAll(text, file, opts)
  if (docs.length > 1) throw new YamlError(`expected one YAML document, found ${docs.length}`, { file })
  return docs.length ? docs[0] : null
}
