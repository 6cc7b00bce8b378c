// Validation of a task's module arguments against its ParamSpec, with Ansible's coercions.
// At load time (templated: false) values that still hold `{{`/`{%` are left alone; at run time they are final.

import { PyFloat } from './py-float.js'
import { closestWord } from './did-you-mean.js'
import { PlaybookError, type Where } from './errors.js'
import { shlexTokens, type ShlexToken } from './shlex.js'
import type { ParamDef, ParamSpec, ParamType, TaskType } from './task.js'

export interface ParseOptions {
  templated: boolean
}

type Dict = Record<string, unknown>

const TRUE_WORDS = new Set(['yes', 'on', '1', 'true', 'y', 't'])
const FALSE_WORDS = new Set(['no', 'off', '0', 'false', 'n', 'f'])

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !Buffer.isBuffer(v)
}

/** True when a value still holds Jinja syntax (only meaningful before templating). */
export function hasTemplate(v: unknown): boolean {
  return typeof v === 'string' && (v.includes('{{') || v.includes('{%'))
}


const KV = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/

/** A spec key '*' accepts every other key (set_fact): its def types them all. */
const ANY_KEY = '*'

function allNames(spec: ParamSpec): string[] {
  return Object.entries(spec).filter(([k]) => k !== ANY_KEY).flatMap(([k, d]) => [k, ...(d.aliases ?? [])])
}

function validKeys(spec: ParamSpec): string {
  return Object.keys(spec).filter((k) => k !== ANY_KEY).join(', ')
}

/** Turn a string module value into a dict: free-form text and/or Ansible `key=value` words. */
function fromString<P>(type: TaskType<P>, raw: string, where: Where): Dict {
  let tokens: ShlexToken[]
  try {
    tokens = shlexTokens(raw)
  } catch (e) {
    throw new PlaybookError(`${type.name}: cannot split its arguments: ${(e as Error).message}`, where,
      'balance the quotes in the module arguments')
  }
  const known = new Set(allNames(type.params))
  const out: Dict = {}
  if (type.freeForm) {
    // Like Ansible: known key=value words are options wherever they stand; the rest stays verbatim text.
    let rest = raw
    for (const t of [...tokens].reverse()) {
      const m = KV.exec(t.text)
      if (!m || !known.has(m[1]) || m[1] === type.freeForm) continue
      out[m[1]] = m[2]
      rest = rest.slice(0, t.start) + rest.slice(t.end)
    }
    rest = rest.trim()
    if (rest.length > 0) out[type.freeForm] = rest
    return out
  }
  for (const t of tokens) {
    const m = KV.exec(t.text)
    if (!m) {
      throw new PlaybookError(`${type.name}: argument "${t.text}" is not key=value`, where,
        `write the arguments as a dict, or as key=value words (valid keys: ${validKeys(type.params)})`)
    }
    out[m[1]] = m[2]
  }
  return out
}

function typeError(type: { name: string }, key: string, want: string, got: unknown, where: Where, def: ParamDef): PlaybookError {
  const shown = def.secret ? '(hidden)' : JSON.stringify(got)
  return new PlaybookError(`${type.name}: parameter "${key}" must be ${want}, got ${shown}`, where,
    def.choices ? `one of: ${def.choices.join(', ')}` : `give ${want}`)
}

function toOctalMode(n: number): string {
  return `0${n.toString(8).padStart(3, '0')}`
}

const OCTAL_MODE = /^0?[0-7]{3,4}$/
/** chmod's symbolic modes as Ansible takes them: `u+x`, `g-s`, `u=rwx,g=rx,o=`, `a+X`. */
const SYMBOLIC_MODE = /^[ugoa]*(?:[-+=][rwxXstugo]*)+(?:,[ugoa]*(?:[-+=][rwxXstugo]*)+)*$/

function coerceBool(v: unknown, fail: (want: string) => Error): boolean {
  if (typeof v === 'boolean') return v
  if (typeof v === 'number') {
    if (v === 1) return true
    if (v === 0) return false
  }
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase()
    if (TRUE_WORDS.has(w)) return true
    if (FALSE_WORDS.has(w)) return false
  }
  throw fail('a boolean (yes/no, true/false)')
}

/** Ansible: an int is the numeric mode (YAML 1.1 `0644` is 420 = 0644); a string is octal digits or symbolic. */
function coerceMode(typeName: string, key: string, v: unknown, where: Where, fail: (want: string) => Error): string {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) {
    // `mode: 644` unquoted is decimal 644 = octal 1204 (sticky bit set): Ansible applies that silently,
    // which is never what was meant, so refuse it.
    if (v > 0o777 && /^[0-7]{3}$/.test(String(v))) {
      throw new PlaybookError(`${typeName}: parameter "${key}" is ${v}, a decimal number (= octal ${v.toString(8)})`, where,
        `quote it as a string: '0${v}', or write a YAML octal 0${v}`)
    }
    if (v > 0o7777) throw fail('a file mode like 0644')
    return toOctalMode(v)
  }
  if (typeof v === 'string' && OCTAL_MODE.test(v.trim())) {
    const s = v.trim()
    return s.length === 3 ? `0${s}` : s
  }
  if (typeof v === 'string' && (SYMBOLIC_MODE.test(v.trim()) || v.trim() === 'preserve')) return v.trim()
  throw fail("a file mode: octal as a string like '0644', or symbolic like 'u=rw,g=r,o='")
}

function coerce(typeName: string, key: string, def: ParamDef, t: ParamType, v: unknown, where: Where, templated: boolean): unknown {
  if (!templated && hasTemplate(v)) return v
  const fail = (want: string) => typeError({ name: typeName }, key, want, v, where, def)
  switch (t) {
    case 'any':
    case 'raw':
      return v
    case 'string':
    case 'path': {
      if (typeof v === 'string') {
        if (t === 'path' && v.length === 0) throw fail('a non-empty path')
        return v
      }
      if (typeof v === 'number' || typeof v === 'bigint') return String(v)
      // Ansible turns a YAML boolean given for a string into 'True'/'False'.
      if (typeof v === 'boolean') return v ? 'True' : 'False'
      throw fail(t === 'path' ? 'a path' : 'a string')
    }
    case 'bool':
      return coerceBool(v, fail)
    case 'int': {
      if (typeof v === 'number' && Number.isInteger(v)) return v
      if (typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v)) return Number.parseInt(v, 10)
      throw fail('an integer')
    }
    case 'number': {
      if (typeof v === 'number') return v
      if (v instanceof PyFloat) return v.value
      if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v)
      throw fail('a number')
    }
    case 'mode':
      return coerceMode(typeName, key, v, where, fail)
    case 'list': {
      let items: unknown[]
      if (Array.isArray(v)) items = v
      else if (typeof v === 'string') items = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0)
      else if (typeof v === 'number' || typeof v === 'boolean') items = [v]
      else throw fail('a list')
      const it = def.items
      return it ? items.map((x, i) => coerce(typeName, `${key}[${i}]`, { ...def, choices: undefined }, it, x, where, templated)) : items
    }
    case 'dict': {
      if (isDict(v)) return v
      if (typeof v === 'string' && v.trim().startsWith('{')) {
        try {
          const parsed: unknown = JSON.parse(v)
          if (isDict(parsed)) return parsed
        } catch {
          throw fail('a dict')
        }
      }
      throw fail('a dict')
    }
  }
}

/**
 * A module value given as text together with an `args:` mapping (`command: ls` + `args: {chdir: /x}`):
 * one raw dict, the mapping winning.
 */
export function combineArgs<P>(type: TaskType<P>, text: string, extra: Record<string, unknown>, where: Where): Record<string, unknown> {
  return { ...fromString(type, text, where), ...extra }
}

/** The module value as a dict of arguments: `key=value` text parsed, a free-form scalar under its key. */
function rawArgs<P>(type: TaskType<P>, raw: unknown, where: Where): Dict {
  if (raw === null || raw === undefined) return {}
  if (typeof raw === 'string') return fromString(type, raw, where)
  if (isDict(raw)) return raw
  if (type.freeForm && (typeof raw === 'number' || typeof raw === 'boolean')) return { [type.freeForm]: String(raw) }
  throw new PlaybookError(`${type.name}: arguments must be a dict, got ${Array.isArray(raw) ? 'a list' : typeof raw}`, where,
    `valid keys: ${validKeys(type.params)}`)
}

/** A parameter with choices: its value as the choice's text (a boolean as yes/no), or an error naming them. */
function oneOfChoices<P>(type: TaskType<P>, key: string, choices: readonly string[], v: unknown, where: Where): string {
  const s = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)
  if (!choices.includes(s)) {
    const near = closestWord(s, choices)
    throw new PlaybookError(`${type.name}: parameter "${key}" is "${s}", not one of its choices`, where,
      `${near ? `did you mean "${near}"? ` : ''}choices: ${choices.join(', ')}`)
  }
  return s
}

/** Parameters not given: an error for a required one, a copy of the default for the others. */
function fillDefaults<P>(type: TaskType<P>, out: Dict, where: Where): void {
  for (const [k, d] of Object.entries(type.params)) {
    if (k === ANY_KEY || out[k] !== undefined) continue
    if (d.required) {
      const names = [k, ...(d.aliases ?? [])].map((n) => `"${n}"`).join(' or ')
      throw new PlaybookError(`${type.name}: missing required parameter ${names}`, where,
        `add ${k}: to the task${type.freeForm === k ? ` (or write ${type.name}: <${k}>)` : ''}`)
    }
    if (d.default !== undefined) out[k] = structuredClone(d.default)
  }
}

/**
 * Validate and normalise a module's arguments. `raw` is the module value from YAML: a dict, a scalar for
 * free-form types, or Ansible `key=value` text. Returns params with aliases resolved and defaults filled.
 */
export function parseParams<P>(type: TaskType<P>, raw: unknown, where: Where, opts: ParseOptions): P {
  const input = rawArgs(type, raw, where)
  const byName = new Map<string, string>()
  for (const [k, d] of Object.entries(type.params)) {
    byName.set(k, k)
    for (const a of d.aliases ?? []) byName.set(a, k)
  }

  const out: Dict = {}
  const givenAs = new Map<string, string>()
  for (const [key, value] of Object.entries(input)) {
    const canon = byName.get(key) ?? (type.params[ANY_KEY] ? key : undefined)
    if (!canon) {
      const near = closestWord(key, allNames(type.params))
      throw new PlaybookError(`${type.name}: unknown parameter "${key}"`, where,
        `${near ? `did you mean "${near}"? ` : ''}valid: ${validKeys(type.params)}`)
    }
    const prev = givenAs.get(canon)
    if (prev !== undefined) {
      throw new PlaybookError(`${type.name}: parameters "${prev}" and "${key}" are the same thing`, where, 'give only one of them')
    }
    givenAs.set(canon, key)
    if (value === null || value === undefined) {
      if (!type.params[canon]) out[canon] = null
      continue
    }
    const def = type.params[canon] ?? type.params[ANY_KEY]
    const v = coerce(type.name, key, def, def.type, value, where, opts.templated)
    out[canon] = def.choices && !(hasTemplate(v) && !opts.templated) ? oneOfChoices(type, key, def.choices, v, where) : v
  }
  fillDefaults(type, out, where)

  const p = out as P
  // Cross-field checks need final values: at load time they wait for any value that is still a template.
  const pending = (v: unknown): boolean => hasTemplate(v) || (Array.isArray(v) ? v.some(pending) : isDict(v) && Object.values(v).some(pending))
  if (opts.templated || !Object.values(out).some(pending)) type.validate?.(p, where)
  return p
}
