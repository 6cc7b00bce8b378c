// kubectl's output: aligned tables (tabwriter, 3 spaces), -o json (4-space indent) / yaml / name / jsonpath.
import { dump } from 'js-yaml'
import { kindWithGroup, type ResourceType } from '../api-resources.js'

type Obj = Record<string, any>

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n')
}

export function age(ts: string | undefined, now = Date.now()): string {
  if (!ts) return '<unknown>'
  const s = Math.max(0, Math.floor((now - Date.parse(ts)) / 1000))
  if (s < 120) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`
  if (m < 180) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h}h`
  return `${Math.floor(h / 24)}d`
}

export function nodeStatus(n: Obj): string {
  const ready = (n.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready')
  // kubectl's node printer: "Ready" only for True; False and Unknown both print "NotReady".
  const base = ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'
  return n.spec?.unschedulable ? `${base},SchedulingDisabled` : base
}

export function nodeRoles(n: Obj): string {
  const roles = Object.keys(n.metadata?.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort()
  return roles.length ? roles.join(',') : '<none>'
}

function nodeRow(n: Obj, wide: boolean): string[] {
  const addr = (t: string) => (n.status?.addresses ?? []).find((a: Obj) => a.type === t)?.address ?? '<none>'
  const info = n.status?.nodeInfo ?? {}
  const row = [n.metadata.name, nodeStatus(n), nodeRoles(n), age(n.metadata.creationTimestamp), info.kubeletVersion ?? '']
  if (wide) row.push(addr('InternalIP'), addr('ExternalIP'), info.osImage ?? '<unknown>', info.kernelVersion ?? '<unknown>', info.containerRuntimeVersion ?? '<unknown>')
  return row
}

function containerColumns(workload: Obj): string[] {
  const containers: Obj[] = workload.spec?.template?.spec?.containers ?? []
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image).join(',')]
}

function matchLabels(workload: Obj): string {
  return Object.entries(workload.spec?.selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'
}

export function printTable(r: ResourceType, items: Obj[], wide: boolean, allNamespaces: boolean): string {
  if (r.kind === 'Node') {
    const head = ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION']
    if (wide) head.push('INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME')
    return table([head, ...items.map((n) => nodeRow(n, wide))])
  }
  const ns = allNamespaces && r.namespaced
  if (r.kind === 'Pod') {
    const head = [...(ns ? ['NAMESPACE'] : []), 'NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']
    if (wide) head.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES')
    return table([head, ...items.map((p) => [
      ...(ns ? [p.metadata.namespace] : []), p.metadata.name,
      `0/${(p.spec?.containers ?? []).length}`, p.status?.phase ?? 'Pending', '0', age(p.metadata.creationTimestamp),
      ...(wide ? [p.status?.podIP ?? '<none>', p.spec?.nodeName ?? '<none>', p.status?.nominatedNodeName ?? '<none>', '<none>'] : []),
    ])])
  }
  if (r.kind === 'DaemonSet') {
    const head = [...(ns ? ['NAMESPACE'] : []), 'NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE']
    if (wide) head.push('CONTAINERS', 'IMAGES', 'SELECTOR')
    return table([head, ...items.map((d) => {
      const st = d.status ?? {}
      const selector = Object.entries(d.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>'
      const row = [...(ns ? [d.metadata.namespace] : []), d.metadata.name, ...['desiredNumberScheduled', 'currentNumberScheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable'].map((k) => String(st[k] ?? 0)), selector, age(d.metadata.creationTimestamp)]
      if (wide) row.push(...containerColumns(d), matchLabels(d))
      return row
    })])
  }
  if (r.kind === 'Deployment') {
    const head = [...(ns ? ['NAMESPACE'] : []), 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']
    if (wide) head.push('CONTAINERS', 'IMAGES', 'SELECTOR')
    return table([head, ...items.map((d) => {
      const st = d.status ?? {}
      const row = [...(ns ? [d.metadata.namespace] : []), d.metadata.name, `${st.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`, String(st.updatedReplicas ?? 0), String(st.availableReplicas ?? 0), age(d.metadata.creationTimestamp)]
      if (wide) row.push(...containerColumns(d), matchLabels(d))
      return row
    })])
  }
  const head = [...(ns ? ['NAMESPACE'] : []), 'NAME', 'AGE']
  return table([head, ...items.map((o) => [...(ns ? [o.metadata.namespace] : []), o.metadata.name, age(o.metadata.creationTimestamp)])])
}

/** A jsonpath subset: {.a.b}, {.items[*].a}, {.a[0].b}, with literal text between. */
export function jsonpath(template: string, data: unknown): string {
  return template.replace(/\{([^}]*)\}/g, (_, expr: string) => {
    let values: unknown[] = [data]
    for (const m of expr.trim().matchAll(/\.([^.[\]]+)|\[(\*|\d+)\]|\[\?\(@\.([^=]+)=="([^"]*)"\)\]/g)) {
      if (m[1] !== undefined) values = values.map((v) => (v as Obj | undefined)?.[m[1]!])
      else if (m[2] === '*') values = values.flatMap((v) => (Array.isArray(v) ? v : []))
      else if (m[2] !== undefined) values = values.map((v) => (Array.isArray(v) ? v[Number(m[2])] : undefined))
      else if (m[3] !== undefined) values = values.flatMap((v) => (Array.isArray(v) ? v.filter((x) => String((x as Obj)?.[m[3]!]) === m[4]) : []))
    }
    return values.filter((v) => v !== undefined).map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))).join(' ')
  })
}

export function printObjects(r: ResourceType, objs: Obj[], single: boolean, output: string | undefined, allNamespaces: boolean): string {
  const data = single ? objs[0] : { apiVersion: 'v1', items: objs, kind: 'List', metadata: { resourceVersion: '' } }
  const withKind = objs.map((o) => ({ apiVersion: r.apiVersion, kind: r.kind, ...o }))
  const view = single ? withKind[0] : { ...(data as Obj), items: withKind }
  if (output === 'json') return JSON.stringify(view, null, 4)
  if (output === 'yaml') return dump(view, { lineWidth: -1 }).trimEnd()
  if (output === 'name') return objs.map((o) => `${kindWithGroup(r)}/${o.metadata.name}`).join('\n')
  if (output?.startsWith('jsonpath=')) return jsonpath(output.slice('jsonpath='.length), view)
  if (output && output !== 'wide') throw new Error(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml`)
  return printTable(r, objs, output === 'wide', allNamespaces)
}
