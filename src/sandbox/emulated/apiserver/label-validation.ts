// apimachinery's label rules (IsQualifiedName, IsValidLabelValue) with their field error texts, for
// metadata.labels and node taints: what a typo in node_labels or node_taints meets on a real cluster.

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const NAME_TEXT = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

/** Problems of a qualified name ([prefix/]name), as IsQualifiedName words them. */
export function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/')
  if (parts.length > 2) {
    return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
  }
  const [prefix, name] = parts.length === 2 ? parts as [string, string] : [undefined, parts[0]!]
  const out: string[] = []
  if (prefix !== undefined) {
    if (prefix === '') out.push('prefix part must be non-empty')
    else if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix)) out.push("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
  }
  if (name === '') out.push('name part must be non-empty')
  else if (name.length > 63) out.push('name part must be no more than 63 characters')
  else if (!NAME.test(name)) out.push(NAME_TEXT)
  return out
}

export function labelValueProblems(value: string): string[] {
  if (value === '') return []
  if (value.length > 63) return ['must be no more than 63 characters']
  if (!NAME.test(value)) return ["a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"]
  return []
}

type Obj = Record<string, any>

/** Field errors for an object's labels and, on a Node, its taints. */
export function labelAndTaintErrors(obj: Obj, isNode: boolean): string[] {
  const errs: string[] = []
  for (const [k, v] of Object.entries((obj.metadata?.labels ?? {}) as Record<string, unknown>)) {
    for (const p of qualifiedNameProblems(k)) errs.push(`metadata.labels: Invalid value: "${k}": ${p}`)
    if (typeof v === 'string') for (const p of labelValueProblems(v)) errs.push(`metadata.labels: Invalid value: "${v}": ${p}`)
  }
  const taints: Obj[] = isNode ? (obj.spec?.taints ?? []) : []
  taints.forEach((t, i) => {
    for (const p of qualifiedNameProblems(String(t.key ?? ''))) errs.push(`spec.taints[${i}].key: Invalid value: "${t.key ?? ''}": ${p}`)
    if (typeof t.value === 'string') for (const p of labelValueProblems(t.value)) errs.push(`spec.taints[${i}].value: Invalid value: "${t.value}": ${p}`)
  })
  return errs
}
