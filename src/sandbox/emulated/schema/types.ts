// The vocabulary of the schema tables: each Kubernetes config kind is described as DATA
// (field name -> type), transcribed from the Go types, and one decoder walks it.

export type FieldType =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'int'; go: 'int' | 'int32' | 'int64' | 'uint32' | 'uint8' }
  | { t: 'float'; go: 'float32' | 'float64' }
  | { t: 'duration' }
  | { t: 'time' }
  | { t: 'enum'; go: string; values: readonly string[] }
  | { t: 'list'; of: FieldType }
  | { t: 'map'; of: FieldType }
  | { t: 'struct'; go: string; fields: Fields }
  | { t: 'any'; go: string }
  /** intstr.IntOrString, resource.Quantity: a JSON string or number. */
  | { t: 'scalar'; go: string }

export interface Field {
  type: FieldType
  /** First Kubernetes minor (e.g. "1.31") whose types have this field; older ones reject it. */
  since?: string
}

export type Fields = Readonly<Record<string, Field>>

export const str: FieldType = { t: 'string' }
export const bool: FieldType = { t: 'bool' }
export const int32: FieldType = { t: 'int', go: 'int32' }
export const int64: FieldType = { t: 'int', go: 'int64' }
export const int: FieldType = { t: 'int', go: 'int' }
export const uint32: FieldType = { t: 'int', go: 'uint32' }
export const float32: FieldType = { t: 'float', go: 'float32' }
export const float64: FieldType = { t: 'float', go: 'float64' }
export const duration: FieldType = { t: 'duration' }
export const time: FieldType = { t: 'time' }
export const listOf = (of: FieldType): FieldType => ({ t: 'list', of })
export const mapOf = (of: FieldType): FieldType => ({ t: 'map', of })
export const enumOf = (go: string, values: readonly string[]): FieldType => ({ t: 'enum', go, values })
export function fieldsOf(fields: Record<string, FieldType | Field>): Fields {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, 't' in v ? { type: v } : v]))
}
export const struct = (go: string, fields: Record<string, FieldType | Field>): FieldType =>
  ({ t: 'struct', go, fields: fieldsOf(fields) })
export const since = (minor: string, type: FieldType): Field => ({ type, since: minor })
export const anyValue = (go: string): FieldType => ({ t: 'any', go })
export const intOrString: FieldType = { t: 'scalar', go: 'intstr.IntOrString' }
export const quantity: FieldType = { t: 'scalar', go: 'resource.Quantity' }

/** Human-readable Go type name, as encoding/json prints it in its errors. */
export function goTypeName(f: FieldType): string {
  switch (f.t) {
    case 'string': return 'string'
    case 'bool': return 'bool'
    case 'int': return f.go
    case 'float': return f.go
    case 'duration': return 'v1.Duration'
    case 'time': return 'v1.Time'
    case 'enum': return f.go
    case 'list': return `[]${goTypeName(f.of)}`
    case 'map': return `map[string]${goTypeName(f.of)}`
    case 'struct': return f.go
    case 'any': return f.go
    case 'scalar': return f.go
  }
}

/** One kind of configuration document, e.g. kubeadm.k8s.io/v1beta4 InitConfiguration. */
export interface KindSchema {
  group: string
  version: string
  kind: string
  /** Go package name used in messages (v1beta4.InitConfiguration). */
  goPackage: string
  fields: Fields
}
