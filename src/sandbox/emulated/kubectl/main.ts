// The emulated kubectl: the node-management and apply/get subset kubeadm clusters are run with.
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { loadAll } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { hostPath, readHostFile } from '../host/paths.js'
import { parseFlags, list, str, isSet, type FlagSpec } from '../flags.js'
import { parseKubeconfig } from '../kubeconfig.js'
import { ApiClient, ApiError, clientFromKubeconfig } from '../client/api-client.js'
import { emulatedVersion, emulationLabel } from '../build-info.js'
import { formatVersion } from '../versions.js'
import { parseGoDuration } from '../decode/duration.js'
import { apiPath, builtinForObject, kindWithGroup, resourceByName, resourcesOfCrd, type ResourceType } from '../api-resources.js'
import { printObjects } from './print.js'

type Obj = Record<string, any>

const FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', kind: 'string' }, { name: 'namespace', kind: 'string', short: 'n' },
  { name: 'all-namespaces', kind: 'bool', short: 'A' }, { name: 'output', kind: 'string', short: 'o' },
  { name: 'selector', kind: 'string', short: 'l' }, { name: 'filename', kind: 'list', short: 'f' },
  { name: 'overwrite', kind: 'bool' }, { name: 'ignore-daemonsets', kind: 'bool' },
  { name: 'delete-emptydir-data', kind: 'bool' }, { name: 'delete-local-data', kind: 'bool' }, { name: 'force', kind: 'bool' },
  { name: 'grace-period', kind: 'int' }, { name: 'timeout', kind: 'string' }, { name: 'client', kind: 'bool' },
  { name: 'v', kind: 'int' }, { name: 'ignore-not-found', kind: 'bool' }, { name: 'server-side', kind: 'bool' },
  { name: 'field-manager', kind: 'string' }, { name: 'force-conflicts', kind: 'bool' }, { name: 'wait', kind: 'bool' },
  { name: 'disable-eviction', kind: 'bool' }, { name: 'recursive', kind: 'bool', short: 'R' }, { name: 'help', kind: 'bool', short: 'h' },
  { name: 'pod-selector', kind: 'string' }, { name: 'context', kind: 'string' }, { name: 'request-timeout', kind: 'string' }, { name: 'dry-run', kind: 'string' },
]

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

function client(kubeconfigFlag: string | undefined): ApiClient {
  const candidates = kubeconfigFlag ? [kubeconfigFlag] : process.env.KUBECONFIG ? process.env.KUBECONFIG.split(':') : [`${homedir()}/.kube/config`]
  for (const path of candidates) {
    const text = readHostFile(path)
    if (text !== undefined) return clientFromKubeconfig(parseKubeconfig(text, path))
    if (kubeconfigFlag) throw new EmulatedFailure(`error: stat ${path}: no such file or directory`)
  }
  throw new EmulatedFailure('The connection to the server localhost:8080 was refused - did you specify the right host or port?')
}

function serverError(e: unknown): EmulatedFailure {
  if (e instanceof ApiError) return new EmulatedFailure(`Error from server (${e.reason}): ${e.message}`)
  if (e instanceof EmulatedFailure) return e
  return new EmulatedFailure(`Unable to connect to the server: ${(e as Error).message}`)
}

/** The resource types the server's CRDs add (kubectl learns them by discovery). */
async function crdTypes(c: ApiClient): Promise<ResourceType[]> {
  const crds = await c.get<{ items: Obj[] }>('/apis/apiextensions.k8s.io/v1/customresourcedefinitions')
  return crds.items.flatMap(resourcesOfCrd)
}

async function resource(c: ApiClient, name: string | undefined): Promise<ResourceType> {
  if (!name) throw new EmulatedFailure('error: You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.')
  const builtin = resourceByName(name)
  if (builtin) return builtin
  const [first, ...group] = name.toLowerCase().split('.')
  const custom = (await crdTypes(c)).find((t) => (t.plural === first || t.aliases.includes(first!) || t.kind.toLowerCase() === first)
    && (!group.length || t.apiVersion.startsWith(`${group.join('.')}/`)))
  if (!custom) throw new EmulatedFailure(`error: the server doesn't have a resource type "${name}"`)
  return custom
}

function splitTypeName(args: string[]): { type: string | undefined; names: string[] } {
  if (args[0]?.includes('/')) return { type: args[0].split('/')[0], names: args.map((a) => a.split('/')[1]!) }
  return { type: args[0], names: args.slice(1) }
}

async function cmdGet(c: ApiClient, args: string[], f: Record<string, any>): Promise<void> {
  const { type, names } = splitTypeName(args)
  const r = await resource(c, type)
  const all = isSet(f, 'all-namespaces')
  const ns = r.namespaced && !all ? (str(f, 'namespace') ?? 'default') : undefined
  let objs: Obj[]
  if (names.length) {
    objs = []
    for (const n of names) {
      try {
        objs.push(await c.get(apiPath(r, ns, n)))
      } catch (e) {
        if (isSet(f, 'ignore-not-found') && e instanceof ApiError && e.code === 404) continue
        throw e
      }
    }
  } else {
    const sel = str(f, 'selector')
    const listed = await c.get<{ items: Obj[] }>(`${apiPath(r, ns)}${sel ? `?labelSelector=${encodeURIComponent(sel)}` : ''}`)
    objs = listed.items
    if (!objs.length && !str(f, 'output')) {
      process.stderr.write(ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n')
      return
    }
  }
  if (!objs.length) return
  out(printObjects(r, objs, names.length === 1, str(f, 'output'), all))
}

function parseLabelArgs(args: string[]): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {}
  const remove: string[] = []
  for (const a of args) {
    if (a.endsWith('-') && !a.includes('=')) remove.push(a.slice(0, -1))
    else if (a.includes('=')) {
      const [k, ...v] = a.split('=')
      set[k!] = v.join('=')
    } else throw new EmulatedFailure(`error: at least one label update is required`)
  }
  return { set, remove }
}

async function cmdLabel(c: ApiClient, args: string[], f: Record<string, any>): Promise<void> {
  const { type, names } = splitTypeName(args)
  const r = await resource(c, type)
  const name = names[0]!
  const { set, remove } = parseLabelArgs(names.slice(1))
  const path = apiPath(r, r.namespaced ? (str(f, 'namespace') ?? 'default') : undefined, name)
  const obj = await c.get<Obj>(path)
  const labels = obj.metadata?.labels ?? {}
  for (const [k, v] of Object.entries(set)) {
    if (k in labels && labels[k] !== v && !isSet(f, 'overwrite')) {
      throw new EmulatedFailure(`error: '${k}' already has a value (${labels[k]}), and --overwrite is false`)
    }
  }
  const patch: Record<string, string | null> = { ...set }
  for (const k of remove) patch[k] = null
  await c.call('PATCH', path, { metadata: { labels: patch } }, 'application/merge-patch+json')
  out(`${kindWithGroup(r)}/${name} ${Object.keys(set).length || remove.length ? 'labeled' : 'not labeled'}`)
}

async function cmdTaint(c: ApiClient, args: string[], f: Record<string, any>): Promise<void> {
  const { type, names } = splitTypeName(args)
  if ((await resource(c, type)).kind !== 'Node') throw new EmulatedFailure(`error: invalid resource type ${type}, only node types are supported`)
  const name = names[0]!
  const node = await c.get<Obj>(`/api/v1/nodes/${name}`)
  let taints: Obj[] = [...(node.spec?.taints ?? [])]
  for (const spec of names.slice(1)) {
    if (spec.endsWith('-')) {
      const [key, effect] = spec.slice(0, -1).split(':')
      const before = taints.length
      taints = taints.filter((t) => !(t.key === key.split('=')[0] && (!effect || t.effect === effect)))
      if (taints.length === before) throw new EmulatedFailure(`error: taint "${spec.slice(0, -1)}" not found`)
      continue
    }
    const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(spec)
    if (!m) throw new EmulatedFailure(`error: invalid taint spec: ${spec}, unknown taint effect or missing effect (valid effects: NoSchedule, PreferNoSchedule, NoExecute)`)
    const existing = taints.find((t) => t.key === m[1] && t.effect === m[3])
    if (existing && !isSet(f, 'overwrite')) throw new EmulatedFailure(`error: node ${name} already has ${m[1]} taint(s) with same effect(s) and --overwrite is false`)
    taints = taints.filter((t) => !(t.key === m[1] && t.effect === m[3]))
    taints.push({ key: m[1], ...(m[2] ? { value: m[2] } : {}), effect: m[3] })
  }
  await c.call('PATCH', `/api/v1/nodes/${name}`, { spec: { taints } }, 'application/merge-patch+json')
  out(`node/${name} ${names.slice(1).every((s) => s.endsWith('-')) ? 'untainted' : 'tainted'}`)
}

async function setUnschedulable(c: ApiClient, name: string, value: boolean): Promise<void> {
  const node = await c.get<Obj>(`/api/v1/nodes/${name}`)
  if (Boolean(node.spec?.unschedulable) === value) {
    out(`node/${name} already ${value ? 'cordoned' : 'uncordoned'}`)
    return
  }
  await c.call('PATCH', `/api/v1/nodes/${name}`, { spec: { unschedulable: value ? true : null } }, 'application/merge-patch+json')
  out(`node/${name} ${value ? 'cordoned' : 'uncordoned'}`)
}

/** kubectl's label selector syntax for --pod-selector: k=v, k==v, k!=v, k, !k, comma-separated (set-based forms refused). */
function podSelector(text: string | undefined): (labels: Record<string, string>) => boolean {
  if (!text) return () => true
  const terms = text.split(',').map((t) => t.trim())
  const tests = terms.map((t) => {
    let m = /^([A-Za-z0-9./_-]+)\s*(==|=|!=)\s*([A-Za-z0-9._-]*)$/.exec(t)
    if (m) {
      const [, k, op, v] = m as unknown as [string, string, string, string]
      return (l: Record<string, string>) => (op === '!=' ? l[k] !== v : l[k] === v)
    }
    m = /^(!?)([A-Za-z0-9./_-]+)$/.exec(t)
    if (m) return (l: Record<string, string>) => (m![1] === '!' ? !(m![2]! in l) : m![2]! in l)
    throw new EmulatedFailure(`error: unable to parse requirement: <nil>: Invalid value: "${t}": found '${t}', expected: !, identifier, or 'end of string'`)
  })
  return (labels) => tests.every((f) => f(labels))
}

const podId = (p: Obj) => `${p.metadata.namespace}/${p.metadata.name}`

/**
 * The Pods a drain removes from `pods` (those on the node the selector picks) and the DaemonSet Pods it
 * leaves; refused as kubectl refuses, listing every Pod it may not remove without a flag.
 */
function drainPlan(name: string, pods: Obj[], f: Record<string, any>): { evict: Obj[]; ignoredDs: string[] } {
  const ignoredDs: string[] = []
  const evict: Obj[] = []
  const dsPods: string[] = []
  const localPods: string[] = []
  const unmanaged: string[] = []
  for (const p of pods) {
    if (p.metadata.annotations?.['kubernetes.io/config.mirror']) continue
    const owner = (p.metadata.ownerReferences ?? []).find((o: Obj) => o.controller)
    if (owner?.kind === 'DaemonSet') {
      if (isSet(f, 'ignore-daemonsets')) ignoredDs.push(podId(p))
      else dsPods.push(podId(p))
      continue
    }
    if (!owner && !isSet(f, 'force')) unmanaged.push(podId(p))
    if ((p.spec?.volumes ?? []).some((v: Obj) => v.emptyDir) && !isSet(f, 'delete-emptydir-data') && !isSet(f, 'delete-local-data')) localPods.push(podId(p))
    evict.push(p)
  }
  const problems: string[] = []
  if (unmanaged.length) problems.push(`cannot delete Pods that declare no controller (use --force to override): ${unmanaged.join(', ')}`)
  if (dsPods.length) problems.push(`cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): ${dsPods.join(', ')}`)
  if (localPods.length) problems.push(`cannot delete Pods with local storage (use --delete-emptydir-data to override): ${localPods.join(', ')}`)
  if (problems.length) {
    throw new EmulatedFailure(`error: unable to drain node "${name}" due to error: ${problems.join(', ')}, continuing command...\nThere are pending nodes to be drained:\n ${name}\n${problems.map((p) => `error: ${p}`).join('\n')}`)
  }
  return { evict, ignoredDs }
}

/**
 * As kubectl: the Pod is evicted (or deleted with --disable-eviction); a 429 (a PodDisruptionBudget) is
 * retried every 5 s until `deadline` (from --timeout, shown as `timeoutText`).
 */
async function removePod(c: ApiClient, name: string, p: Obj, f: Record<string, any>, deadline: number, timeoutText: string | undefined): Promise<void> {
  const ref = `pods/"${p.metadata.name}" -n "${p.metadata.namespace}"`
  if (!isSet(f, 'disable-eviction')) out(`evicting pod ${podId(p)}`)
  for (;;) {
    try {
      if (isSet(f, 'disable-eviction')) await c.call('DELETE', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`)
      else {
        await c.call('POST', `/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}/eviction`, {
          apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: p.metadata.name, namespace: p.metadata.namespace },
        })
      }
      break
    } catch (e) {
      if (!(e instanceof ApiError) || e.code !== 429) throw e
      if (Date.now() + 5000 > deadline) {
        const why = `error when evicting ${ref}: global timeout reached: ${timeoutText}`
        throw new EmulatedFailure(`There are pending pods in node "${name}" when an error occurred: ${why}\n${p.metadata.name}\nerror: unable to drain node "${name}" due to error: ${why}, continuing command...\nThere are pending nodes to be drained:\n ${name}\nerror: ${why}`)
      }
      process.stderr.write(`error when evicting ${ref} (will retry after 5s): ${e.message}\n`)
      await new Promise((r) => setTimeout(r, 5000))
    }
  }
  out(`pod/${p.metadata.name} ${isSet(f, 'disable-eviction') ? 'deleted' : 'evicted'}`)
}

async function cmdDrain(c: ApiClient, name: string, f: Record<string, any>): Promise<void> {
  const selects = podSelector(str(f, 'pod-selector'))
  const timeoutText = str(f, 'timeout')
  const timeoutNs = timeoutText === undefined ? 0 : parseGoDuration(timeoutText)
  if (timeoutNs === undefined) throw new EmulatedFailure(`error: invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`)
  await setUnschedulable(c, name, true)
  const pods = (await c.get<{ items: Obj[] }>(`/api/v1/pods?fieldSelector=${encodeURIComponent(`spec.nodeName=${name}`)}`)).items
    .filter((p) => selects(p.metadata.labels ?? {}))
  const { evict, ignoredDs } = drainPlan(name, pods, f)
  if (ignoredDs.length) process.stderr.write(`Warning: ignoring DaemonSet-managed Pods: ${ignoredDs.join(', ')}\n`)
  // --timeout 0 (the default): no limit.
  const deadline = timeoutNs > 0 ? Date.now() + timeoutNs / 1e6 : Infinity
  for (const p of evict) await removePod(c, name, p, f, deadline, timeoutText)
  out(`node/${name} drained`)
}

interface ManifestObject {
  obj: Obj
  /** The file it came from, as kubectl names it in messages ("STDIN" for -). */
  source: string
}

function readManifests(files: string[], recursive: boolean): ManifestObject[] {
  const docs: ManifestObject[] = []
  const readOne = (path: string) => {
    const text = path === '-' ? readFileSync(0, 'utf8') : readFileSync(hostPath(path), 'utf8')
    const source = path === '-' ? 'STDIN' : path
    let parsed: unknown[]
    try {
      parsed = loadAll(text) as unknown[]
    } catch (e) {
      throw new EmulatedFailure(`error: error parsing ${source}: error converting YAML to JSON: yaml: ${(e as { reason?: string }).reason ?? String(e)}`)
    }
    for (const d of parsed) {
      if (!d || typeof d !== 'object') continue
      const o = d as Obj
      if (o.kind === 'List' && Array.isArray(o.items)) docs.push(...o.items.map((obj: Obj) => ({ obj, source })))
      else docs.push({ obj: o, source })
    }
  }
  const walk = (path: string, top: boolean) => {
    let st
    try {
      st = path === '-' ? undefined : statSync(hostPath(path))
    } catch {
      throw new EmulatedFailure(`error: the path "${path}" does not exist`)
    }
    if (st?.isDirectory()) {
      if (!top && !recursive) return
      for (const e of readdirSync(hostPath(path)).sort()) {
        const child = `${path}/${e}`
        if (statSync(hostPath(child)).isDirectory()) walk(child, false)
        else if (/\.(ya?ml|json)$/.test(e)) readOne(child)
      }
    } else readOne(path)
  }
  for (const f of files) walk(f, true)
  return docs
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

/** Every field the manifest sets has the same value in the live object. */
function contains(live: unknown, wanted: unknown): boolean {
  if (Array.isArray(wanted)) return Array.isArray(live) && live.length === wanted.length && wanted.every((w, i) => contains(live[i], w))
  if (wanted && typeof wanted === 'object') {
    return !!live && typeof live === 'object' && Object.entries(wanted).every(([k, w]) => contains((live as Obj)[k], w))
  }
  return live === wanted
}

/** The type of each manifest object, as discovery maps it; kinds nobody serves are kubectl's mapping errors. */
async function mapObjects(c: ApiClient, docs: ManifestObject[], f: Record<string, any>): Promise<{ mapped: Array<ManifestObject & { r: ResourceType }>; errors: string[] }> {
  let custom: ResourceType[] | undefined
  const mapped: Array<ManifestObject & { r: ResourceType }> = []
  const errors: string[] = []
  for (const d of docs) {
    const o = d.obj
    if (!o.apiVersion || !o.kind) {
      errors.push(`error: error validating "${d.source}": error validating data: [${[!o.apiVersion ? 'apiVersion not set' : '', !o.kind ? 'kind not set' : ''].filter(Boolean).join(', ')}]; if you choose to ignore these errors, turn validation off with --validate=false`)
      continue
    }
    let r = builtinForObject(String(o.apiVersion), String(o.kind))
    if (!r) {
      custom ??= await crdTypes(c)
      r = custom.find((t) => t.apiVersion === o.apiVersion && t.kind === o.kind)
    }
    if (!r) {
      errors.push(`error: resource mapping not found for name: "${o.metadata?.name ?? ''}" namespace: "${o.metadata?.namespace ?? str(f, 'namespace') ?? ''}" from "${d.source}": no matches for kind "${o.kind}" in version "${o.apiVersion}"\nensure CRDs are installed first`)
      continue
    }
    mapped.push({ ...d, r })
  }
  return { mapped, errors }
}

/** `apply` creates or updates; `create` only creates, and an existing object is its AlreadyExists error. */
async function cmdApply(c: ApiClient, f: Record<string, any>, mode: 'apply' | 'create' = 'apply'): Promise<void> {
  const files = list(f, 'filename')
  if (!files.length) throw new EmulatedFailure('error: must specify one of -f and -k')
  // Like kubectl: map every object first, apply those that map, report every failure at the end.
  const { mapped, errors } = await mapObjects(c, readManifests(files, isSet(f, 'recursive')), f)
  for (const { obj: o, r, source } of mapped) {
    const name = o.metadata?.name
    if (!name) {
      errors.push(`error: error when retrieving current configuration of:\nResource: "${r.plural}.${r.apiVersion}", GroupVersionKind: "${o.apiVersion}, Kind=${o.kind}"\nName: "", Namespace: "": resource name may not be empty`)
      continue
    }
    const ns = r.namespaced ? (o.metadata.namespace ?? str(f, 'namespace') ?? 'default') : undefined
    const manifest = { ...o, metadata: { ...o.metadata, ...(ns ? { namespace: ns } : {}) } }
    const lastApplied = JSON.stringify(manifest)
    const body = mode === 'create' ? manifest : { ...manifest, metadata: { ...manifest.metadata, annotations: { ...(manifest.metadata.annotations ?? {}), [LAST_APPLIED]: lastApplied } } }
    let verb = 'created'
    let live: Obj | undefined
    try {
      if (mode === 'apply') live = await c.get<Obj>(apiPath(r, ns, name))
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 404)) throw e
    }
    try {
      if (!live) await c.call('POST', `${apiPath(r, ns)}?fieldValidation=Strict`, body)
      else if (live.metadata?.annotations?.[LAST_APPLIED] === lastApplied && contains(live, manifest)) verb = 'unchanged'
      else {
        await c.call('PUT', `${apiPath(r, ns, name)}?fieldValidation=Strict`, body)
        verb = 'configured'
      }
    } catch (e) {
      if (!(e instanceof ApiError)) throw e
      errors.push(`Error from server (${e.reason}): error when ${live ? 'applying patch' : 'creating'} "${source}": ${e.message}`)
      continue
    }
    out(`${kindWithGroup(r)}/${name} ${verb}`)
  }
  if (errors.length) throw new EmulatedFailure(errors.join('\n'))
}

async function cmdDelete(c: ApiClient, args: string[], f: Record<string, any>): Promise<void> {
  if (list(f, 'filename').length) {
    const { mapped, errors } = await mapObjects(c, readManifests(list(f, 'filename'), isSet(f, 'recursive')), f)
    for (const { obj: o, r } of mapped) {
      await deleteOne(c, r, r.namespaced ? (o.metadata?.namespace ?? str(f, 'namespace') ?? 'default') : undefined, o.metadata?.name, f)
    }
    if (errors.length) throw new EmulatedFailure(errors.join('\n'))
    return
  }
  const { type, names } = splitTypeName(args)
  const r = await resource(c, type)
  if (!names.length) throw new EmulatedFailure('error: resource(s) were provided, but no name was specified')
  for (const n of names) await deleteOne(c, r, r.namespaced ? (str(f, 'namespace') ?? 'default') : undefined, n, f)
}

async function deleteOne(c: ApiClient, r: ResourceType, ns: string | undefined, name: string, f: Record<string, any>): Promise<void> {
  try {
    await c.call('DELETE', apiPath(r, ns, name))
    out(`${kindWithGroup(r)} "${name}" deleted`)
  } catch (e) {
    if (isSet(f, 'ignore-not-found') && e instanceof ApiError && e.code === 404) return
    throw e
  }
}

async function cmdVersion(f: Record<string, any>): Promise<void> {
  const v = emulatedVersion()
  const client = { major: String(v.major), minor: String(v.minor), gitVersion: formatVersion(v), platform: 'linux/amd64' }
  let server: Obj | undefined
  if (!isSet(f, 'client')) server = await client_(f).get('/version')
  const o = str(f, 'output')
  if (o === 'json') return out(JSON.stringify({ clientVersion: client, kustomizeVersion: 'v5.4.2', ...(server ? { serverVersion: server } : {}) }, null, 2))
  if (o === 'yaml') return out(`clientVersion:\n  gitVersion: ${client.gitVersion}\n  major: "${client.major}"\n  minor: "${client.minor}"\n  platform: linux/amd64\n${server ? `serverVersion:\n  gitVersion: ${server.gitVersion}\n  major: "${server.major}"\n  minor: "${server.minor}"\n  platform: linux/amd64\n` : ''}`.trimEnd())
  out(`Client Version: ${client.gitVersion} (${emulationLabel('kubectl')})`)
  out('Kustomize Version: v5.4.2')
  if (server) out(`Server Version: ${server.gitVersion}`)
}

const client_ = (f: Record<string, any>) => client(str(f, 'kubeconfig'))

function help(): void {
  out(`${emulationLabel('kubectl')}\nkubectl controls the Kubernetes cluster manager.\n\nSupported commands: get, apply, delete, label, taint, cordon, uncordon, drain, version`)
}

export async function kubectlMain(argv: string[]): Promise<number> {
  try {
    const parsed = parseFlags(argv, FLAGS)
    const { flags } = parsed
    const [cmd, ...positional] = parsed.positional
    if (!cmd || cmd === 'help' || isSet(flags, 'help')) {
      help()
      return 0
    }
    if (cmd === 'version') {
      await cmdVersion(flags).catch((e) => { throw serverError(e) })
      return 0
    }
    const c = client_(flags)
    try {
      switch (cmd) {
        case 'get': await cmdGet(c, positional, flags); break
        case 'label': await cmdLabel(c, positional, flags); break
        case 'taint': await cmdTaint(c, positional, flags); break
        case 'cordon': await setUnschedulable(c, positional[0]!, true); break
        case 'uncordon': await setUnschedulable(c, positional[0]!, false); break
        case 'drain': await cmdDrain(c, positional[0]!, flags); break
        case 'apply': await cmdApply(c, flags); break
        case 'create': await cmdApply(c, flags, 'create'); break
        case 'delete': await cmdDelete(c, positional, flags); break
        default: throw new EmulatedFailure(`error: unknown command "${cmd}" for "kubectl"`)
      }
    } catch (e) {
      throw serverError(e)
    }
    return 0
  } catch (e) {
    process.stderr.write(`${(e as Error).message.replace(/^(?!error|Error|The connection|Unable)/, 'error: ')}\n`)
    return 1
  }
}
