// YAML as Ansible reads it (PyYAML's YAML 1.1 resolvers), with source lines kept for error messages.

import { constructFromEvents, EVENT_ALIAS, EVENT_MAPPING, EVENT_POP, EVENT_SCALAR, EVENT_SEQUENCE, parseEvents, YAMLException } from 'js-yaml'
import type { Event } from 'js-yaml'
import { KubeseedError } from './errors.js'
import { ANSIBLE_YAML_SCHEMA } from './inventory/ansible-yaml.js'
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

export class YamlError extends KubeseedError {}

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
        const keyText = k.valueStart !== undefined ? (k as { valueStart: number; valueEnd: number } & Ev) : undefined
        i++
        let key: string | undefined
        if (keyText) {
          const raw = sourceText.slice(keyText.valueStart, (keyText as unknown as { valueEnd: number }).valueEnd)
          key = Object.keys(value as object).find((kk) => kk === raw || kk === raw.replace(/^["']|["']$/g, ''))
          if (key !== undefined) lines[key] = lineAt(keyText.valueStart)
        }
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
export function loadYamlAll(text: string, file: string): unknown[] {
  try {
    const events = parseEvents(text, { filename: file }) as Ev[]
    const docs = constructFromEvents(events, { source: text, filename: file, schema: ANSIBLE_YAML_SCHEMA })
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
      throw new YamlError(`invalid YAML: ${reason}`, { file, line }, 'fix the syntax at that line')
    }
    throw e
  }
}

/** One document (an empty file is null). */
export function loadYaml(text: string, file: string): unknown {
  const docs = loadYamlAll(text, file)
  if (docs.length > 1) throw new YamlError('expected one YAML document, found several', { file })
  return docs.length ? docs[0] : null
}
