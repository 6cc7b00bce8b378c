// Custom resources: which CRD serves a (group, version, plural), and the structural-schema check the
// API server makes with field validation Strict (kubectl's default): unknown fields, wrong types, enums.

type Obj = Record<string, any>

export interface SchemaProblems {
  /** Fields the schema does not declare (400, strict decoding error). */
  unknown: string[]
  /** Values of the wrong type or outside an enum (422, field errors). */
  invalid: string[]
}

function jsonType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v === 'object' ? 'object' : typeof v
}

function typeMatches(want: string, v: unknown): boolean {
  const got = jsonType(v)
  return want === got || (want === 'number' && got === 'integer')
}

function walk(schema: Obj | undefined, v: unknown, path: string, out: SchemaProblems): void {
  if (!schema || v === null || v === undefined) return
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v))) {
      out.invalid.push(`${path}: Invalid value: "${jsonType(v)}": ${path} in body must be of type integer,string: "${jsonType(v)}"`)
    }
    return
  }
  if (typeof schema.type === 'string' && !typeMatches(schema.type, v)) {
    out.invalid.push(`${path}: Invalid value: "${jsonType(v)}": ${path} in body must be of type ${schema.type}: "${jsonType(v)}"`)
    return
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => e === v)) {
    out.invalid.push(`${path}: Unsupported value: ${JSON.stringify(v)}: supported values: ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(', ')}`)
  }
  if (Array.isArray(v)) {
    v.forEach((item, i) => walk(schema.items, item, `${path}[${i}]`, out))
    return
  }
  if (typeof v !== 'object') return
  const props: Obj | undefined = schema.properties
  const additional = schema.additionalProperties
  for (const [k, child] of Object.entries(v as Obj)) {
    const p = path ? `${path}.${k}` : k
    if (props && Object.hasOwn(props, k)) walk(props[k], child, p, out)
    else if (additional && typeof additional === 'object') walk(additional, child, p, out)
    else if (additional === true || schema['x-kubernetes-preserve-unknown-fields'] === true) continue
    else out.unknown.push(`unknown field "${p}"`)
  }
}

/** Check a custom resource against its version's openAPIV3Schema; apiVersion, kind and metadata are the server's. */
export function validateCustomResource(schema: Obj | undefined, obj: Obj): SchemaProblems {
  const out: SchemaProblems = { unknown: [], invalid: [] }
  if (!schema) return out
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj
  walk({ ...schema, properties: { ...(schema.properties ?? {}) } }, rest, '', out)
  return out
}

/** The served version of a CRD for a request path, with its schema. */
export function crdVersion(crds: Obj[], group: string, version: string, plural: string): { crd: Obj; schema: Obj | undefined } | undefined {
  for (const crd of crds) {
    const spec = crd.spec ?? {}
    if (spec.group !== group || spec.names?.plural !== plural) continue
    const v = (spec.versions ?? []).find((x: Obj) => x.name === version && x.served !== false)
    if (v) return { crd, schema: v.schema?.openAPIV3Schema }
  }
  return undefined
}
