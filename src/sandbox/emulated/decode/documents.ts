// Split a kubeadm config file into documents and decode each strictly, as kubeadm does:
// YAML duplicates and wrong types are fatal, unknown kinds are skipped with a warning.
import { loadAll, YAML11_SCHEMA } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { describeProblems, decodeStrict } from './strict.js'
import { componentConfigKinds, findKind, kubeadmApiVersions, removedIn } from '../schema/registry.js'
import type { KindSchema } from '../schema/types.js'

export interface DecodedDocument {
  schema: KindSchema
  apiVersion: string
  kind: string
  body: Record<string, unknown>
}

export interface DecodedConfig {
  documents: DecodedDocument[]
  warnings: string[]
}

function yamlError(text: string, err: unknown): EmulatedFailure {
  const e = err as { reason?: string; mark?: { line: number }; message?: string }
  if (e.reason?.startsWith('duplicated mapping key') && e.mark) {
    const line = text.split('\n')[e.mark.line] ?? ''
    const key = /^\s*(?:-\s+)?["']?([^"':]+)["']?\s*:/.exec(line)?.[1] ?? ''
    return new EmulatedFailure(
      `error converting YAML to JSON: yaml: unmarshal errors:\n  line ${e.mark.line + 1}: key "${key}" already set in map`,
    )
  }
  const line = e.mark ? `line ${e.mark.line + 1}: ` : ''
  return new EmulatedFailure(`error converting YAML to JSON: yaml: ${line}${e.reason ?? e.message ?? String(err)}`)
}

/** A document's body, apiVersion and kind; refused as kubeadm refuses a document without them. */
function typeMeta(doc: unknown): { body: Record<string, unknown>; apiVersion: string; kind: string } {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new EmulatedFailure(`couldn't get version/kind; json parse error: json: cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`)
  }
  const body = doc as Record<string, unknown>
  const apiVersion = body.apiVersion
  const kind = body.kind
  if (typeof kind !== 'string' || kind === '') {
    throw new EmulatedFailure(`Object 'Kind' is missing in '${JSON.stringify(body)}'`)
  }
  if (typeof apiVersion !== 'string' || apiVersion === '') {
    throw new EmulatedFailure(`Object 'apiVersion' is missing in '${JSON.stringify(body)}'`)
  }
  return { body, apiVersion, kind }
}

/** Refuses an apiVersion this kubeadm no longer reads, and a component config of another version than its own. */
function checkApiVersion(apiVersion: string, kind: string, minor: number): void {
  const oldRelease = removedIn(apiVersion, minor)
  if (oldRelease) {
    throw new EmulatedFailure(
      `your configuration file uses an old API spec: "${apiVersion}" (kind: "${kind}"). Please use kubeadm ${oldRelease} instead and run 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
    )
  }
  const group = apiVersion.split('/')[0]!
  // componentconfigs: a kubelet or kube-proxy document of another version of its group is an error.
  const component = componentConfigKinds.find((k) => k.group === group)
  if (component && apiVersion !== `${component.group}/${component.version}`) {
    throw new EmulatedFailure(`unsupported apiVersion "${apiVersion}", you may have to do manual conversion to "${component.group}/${component.version}" and run kubeadm again`)
  }
}

/** The schema of the document's kind; undefined, with a warning, for a kind outside kubeadm's group, which is ignored. */
function knownSchema(apiVersion: string, kind: string, minor: number, warnings: string[]): KindSchema | undefined {
  const schema = findKind(apiVersion, kind, minor)
  if (schema) return schema
  const known = kubeadmApiVersions.find((v) => v.apiVersion === apiVersion)
  if (apiVersion.split('/')[0] === 'kubeadm.k8s.io' && (!known || minor < known.since)) {
    throw new EmulatedFailure(
      `no kind "${kind}" is registered for version "${apiVersion}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`,
    )
  }
  warnings.push(`[config] WARNING: Ignored YAML document with GroupVersionKind ${apiVersion}, Kind=${kind}`)
  return undefined
}

function deprecationWarning(apiVersion: string, kind: string, minor: number): string | undefined {
  const support = kubeadmApiVersions.find((v) => v.apiVersion === apiVersion)
  if (support?.deprecatedSince === undefined || minor < support.deprecatedSince) return undefined
  return `W0000 00:00:00.000000       1 common.go:101] your configuration file uses a deprecated API spec: "${apiVersion}" (kind: "${kind}"). Please use 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`
}

/** Parse and strictly decode every document of a kubeadm config file for a kubeadm of `minor`. */
export function decodeConfigText(text: string, minor: number): DecodedConfig {
  let docs: unknown[]
  try {
    docs = loadAll(text, { schema: YAML11_SCHEMA }) as unknown[]
  } catch (err) {
    throw yamlError(text, err)
  }
  const out: DecodedConfig = { documents: [], warnings: [] }
  const seen = new Set<string>()
  for (const doc of docs) {
    if (doc === null || doc === undefined) continue
    const { body, apiVersion, kind } = typeMeta(doc)
    checkApiVersion(apiVersion, kind, minor)
    const schema = knownSchema(apiVersion, kind, minor, out.warnings)
    if (!schema) continue
    const gvk = `${apiVersion}, Kind=${kind}`
    if (seen.has(gvk)) {
      throw new EmulatedFailure(`invalid configuration: kind "${kind}" is specified twice in YAML file`)
    }
    seen.add(gvk)
    const problem = describeProblems(schema, decodeStrict(schema, body, minor))
    if (problem) throw new EmulatedFailure(problem)
    const deprecated = deprecationWarning(apiVersion, kind, minor)
    if (deprecated) out.warnings.push(deprecated)
    out.documents.push({ schema, apiVersion, kind, body })
  }
  return out
}
