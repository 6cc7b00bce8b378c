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
    if (typeof doc !== 'object' || Array.isArray(doc)) {
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
    const schema = findKind(apiVersion, kind, minor)
    if (!schema) {
      const known = kubeadmApiVersions.find((v) => v.apiVersion === apiVersion)
      if (group === 'kubeadm.k8s.io' && (!known || minor < known.since)) {
        throw new EmulatedFailure(
          `no kind "${kind}" is registered for version "${apiVersion}" in scheme "k8s.io/kubernetes/cmd/kubeadm/app/apis/kubeadm/scheme/scheme.go:31"`,
        )
      }
      out.warnings.push(`[config] WARNING: Ignored YAML document with GroupVersionKind ${apiVersion}, Kind=${kind}`)
      continue
    }
    const gvk = `${apiVersion}, Kind=${kind}`
    if (seen.has(gvk)) {
      throw new EmulatedFailure(`invalid configuration: kind "${kind}" is specified twice in YAML file`)
    }
    seen.add(gvk)
    const problem = describeProblems(schema, decodeStrict(schema, body, minor))
    if (problem) throw new EmulatedFailure(problem)
    const support = kubeadmApiVersions.find((v) => v.apiVersion === apiVersion)
    if (support?.deprecatedSince !== undefined && minor >= support.deprecatedSince) {
      out.warnings.push(
        `W0000 00:00:00.000000       1 common.go:101] your configuration file uses a deprecated API spec: "${apiVersion}" (kind: "${kind}"). Please use 'kubeadm config migrate --old-config old.yaml --new-config new.yaml', which will write the new, similar spec using a newer API version.`,
      )
    }
    out.documents.push({ schema, apiVersion, kind, body })
  }
  return out
}
