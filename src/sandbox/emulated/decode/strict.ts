// Strict decoding of one document against its schema table, with the checks and messages of
// Kubernetes' decoder (sigs.k8s.io/json strict mode over encoding/json): a wrong type is a
// json unmarshal error; unknown fields (case-sensitive) are strict decoding errors.
import { parseGoDuration } from './duration.js'
import { goTypeName, type FieldType, type Fields, type KindSchema } from '../schema/types.js'

export interface DecodeProblems {
  /** encoding/json errors: the first one is what Go reports. */
  typeErrors: string[]
  /** sigs.k8s.io/json strict errors: unknown fields. */
  unknownFields: string[]
  /** Values outside an enum: field validation errors. */
  invalidValues: string[]
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  int: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint32: [0, 4294967295],
  uint8: [0, 255],
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array'
  if (v instanceof Date) return 'string'
  if (typeof v === 'object') return 'object'
  return typeof v === 'boolean' ? 'bool' : typeof v
}

function minorOf(since: string): number {
  return Number(since.split('.')[1])
}

function joinPath(path: string, key: string): string {
  return path ? `${path}.${key}` : key
}

class Walker {
  readonly problems: DecodeProblems = { typeErrors: [], unknownFields: [], invalidValues: [] }
  constructor(private readonly goKind: string, private readonly minor: number) {}

  private typeError(value: unknown, goPath: string, type: FieldType, detail?: string): void {
    const what = detail ?? jsonKind(value)
    this.problems.typeErrors.push(
      `json: cannot unmarshal ${what} into Go struct field ${this.goKind}.${goPath} of type ${goTypeName(type)}`,
    )
  }

  fields(obj: Record<string, unknown>, fields: Fields, path: string, goPath: string, top: boolean): void {
    for (const [key, value] of Object.entries(obj)) {
      if (top && (key === 'apiVersion' || key === 'kind')) continue
      const field = fields[key]
      if (!field || (field.since !== undefined && this.minor < minorOf(field.since))) {
        this.problems.unknownFields.push(`unknown field "${joinPath(path, key)}"`)
        continue
      }
      this.value(value, field.type, joinPath(path, key), joinPath(goPath, key))
    }
  }

  value(v: unknown, type: FieldType, path: string, goPath: string): void {
    if (v === null || v === undefined) return
    switch (type.t) {
      case 'any':
        return
      case 'scalar':
        if (typeof v !== 'string' && typeof v !== 'number') this.typeError(v, goPath, type)
        return
      case 'string':
        if (typeof v !== 'string') this.typeError(v, goPath, type)
        return
      case 'bool':
        if (typeof v !== 'boolean') this.typeError(v, goPath, type)
        return
      case 'int': {
        if (typeof v !== 'number') return this.typeError(v, goPath, type)
        const [lo, hi] = INT_RANGE[type.go]!
        if (!Number.isInteger(v) || v < lo || v > hi) this.typeError(v, goPath, type, `number ${v}`)
        return
      }
      case 'float':
        if (typeof v !== 'number') this.typeError(v, goPath, type)
        return
      case 'duration':
        if (typeof v !== 'string') {
          this.problems.typeErrors.push(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`)
        } else if (parseGoDuration(v) === undefined) {
          this.problems.typeErrors.push(`time: invalid duration "${v}"`)
        }
        return
      case 'time': {
        const text = v instanceof Date ? v.toISOString() : v
        if (typeof text !== 'string') {
          this.problems.typeErrors.push(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`)
        } else if (!RFC3339.test(text)) {
          this.problems.typeErrors.push(`parsing time "${text}" as "2006-01-02T15:04:05Z07:00": cannot parse "${text}" as "2006"`)
        }
        return
      }
      case 'enum':
        if (typeof v !== 'string') return this.typeError(v, goPath, type)
        if (!type.values.includes(v)) {
          const supported = type.values.map((x) => `"${x}"`).join(', ')
          this.problems.invalidValues.push(`${path}: Unsupported value: "${v}": supported values: ${supported}`)
        }
        return
      case 'list':
        if (!Array.isArray(v)) return this.typeError(v, goPath, type)
        v.forEach((item, i) => this.value(item, type.of, `${path}[${i}]`, goPath))
        return
      case 'map':
        if (typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return this.typeError(v, goPath, type)
        for (const [k, item] of Object.entries(v as Record<string, unknown>)) this.value(item, type.of, `${path}[${k}]`, goPath)
        return
      case 'struct':
        if (typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return this.typeError(v, goPath, type)
        this.fields(v as Record<string, unknown>, type.fields, path, goPath, false)
        return
    }
  }
}

/** Check a parsed document against its kind's table as decoded by the given Kubernetes minor. */
export function decodeStrict(schema: KindSchema, doc: Record<string, unknown>, minor: number): DecodeProblems {
  const w = new Walker(schema.kind, minor)
  w.fields(doc, schema.fields, '', '', true)
  return w.problems
}

/** The one-line error Kubernetes prints for a document's problems, or undefined when it decodes. */
export function describeProblems(schema: KindSchema, p: DecodeProblems): string | undefined {
  const gvk = `schema.GroupVersionKind{Group:"${schema.group}", Version:"${schema.version}", Kind:"${schema.kind}"}`
  if (p.typeErrors.length > 0) return `error unmarshaling configuration ${gvk}: ${p.typeErrors[0]}`
  if (p.unknownFields.length > 0) {
    return `error unmarshaling configuration ${gvk}: strict decoding error: ${p.unknownFields.join(', ')}`
  }
  if (p.invalidValues.length > 0) return p.invalidValues.join(', ')
  return undefined
}
