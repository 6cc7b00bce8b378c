// The built-in resource types the API server emulator serves (and kubectl knows by name, short
// name and kind), plus the types a CustomResourceDefinition adds. Anything else is not served.

export interface ResourceType {
  kind: string
  plural: string
  apiVersion: string
  namespaced: boolean
  aliases: string[]
}

export const RESOURCE_TYPES: ResourceType[] = [
  { kind: 'Node', plural: 'nodes', apiVersion: 'v1', namespaced: false, aliases: ['node', 'no'] },
  { kind: 'Pod', plural: 'pods', apiVersion: 'v1', namespaced: true, aliases: ['pod', 'po'] },
  { kind: 'Namespace', plural: 'namespaces', apiVersion: 'v1', namespaced: false, aliases: ['namespace', 'ns'] },
  { kind: 'ConfigMap', plural: 'configmaps', apiVersion: 'v1', namespaced: true, aliases: ['configmap', 'cm'] },
  { kind: 'Secret', plural: 'secrets', apiVersion: 'v1', namespaced: true, aliases: ['secret'] },
  { kind: 'Service', plural: 'services', apiVersion: 'v1', namespaced: true, aliases: ['service', 'svc'] },
  { kind: 'ServiceAccount', plural: 'serviceaccounts', apiVersion: 'v1', namespaced: true, aliases: ['serviceaccount', 'sa'] },
  { kind: 'Endpoints', plural: 'endpoints', apiVersion: 'v1', namespaced: true, aliases: ['ep'] },
  { kind: 'PersistentVolume', plural: 'persistentvolumes', apiVersion: 'v1', namespaced: false, aliases: ['persistentvolume', 'pv'] },
  { kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', apiVersion: 'v1', namespaced: true, aliases: ['persistentvolumeclaim', 'pvc'] },
  { kind: 'Deployment', plural: 'deployments', apiVersion: 'apps/v1', namespaced: true, aliases: ['deployment', 'deploy'] },
  { kind: 'DaemonSet', plural: 'daemonsets', apiVersion: 'apps/v1', namespaced: true, aliases: ['daemonset', 'ds'] },
  { kind: 'StatefulSet', plural: 'statefulsets', apiVersion: 'apps/v1', namespaced: true, aliases: ['statefulset', 'sts'] },
  { kind: 'ReplicaSet', plural: 'replicasets', apiVersion: 'apps/v1', namespaced: true, aliases: ['replicaset', 'rs'] },
  { kind: 'Lease', plural: 'leases', apiVersion: 'coordination.k8s.io/v1', namespaced: true, aliases: ['lease'] },
  { kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests', apiVersion: 'certificates.k8s.io/v1', namespaced: false, aliases: ['certificatesigningrequest', 'csr'] },
  { kind: 'ClusterRole', plural: 'clusterroles', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false, aliases: ['clusterrole'] },
  { kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: false, aliases: ['clusterrolebinding'] },
  { kind: 'Role', plural: 'roles', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true, aliases: ['role'] },
  { kind: 'RoleBinding', plural: 'rolebindings', apiVersion: 'rbac.authorization.k8s.io/v1', namespaced: true, aliases: ['rolebinding'] },
  { kind: 'StorageClass', plural: 'storageclasses', apiVersion: 'storage.k8s.io/v1', namespaced: false, aliases: ['storageclass', 'sc'] },
  { kind: 'PriorityClass', plural: 'priorityclasses', apiVersion: 'scheduling.k8s.io/v1', namespaced: false, aliases: ['priorityclass', 'pc'] },
  { kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', apiVersion: 'apiextensions.k8s.io/v1', namespaced: false, aliases: ['customresourcedefinition', 'crd', 'crds'] },
  { kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', apiVersion: 'policy/v1', namespaced: true, aliases: ['poddisruptionbudget', 'pdb'] },
  { kind: 'MutatingWebhookConfiguration', plural: 'mutatingwebhookconfigurations', apiVersion: 'admissionregistration.k8s.io/v1', namespaced: false, aliases: [] },
  { kind: 'ValidatingWebhookConfiguration', plural: 'validatingwebhookconfigurations', apiVersion: 'admissionregistration.k8s.io/v1', namespaced: false, aliases: [] },
  { kind: 'APIService', plural: 'apiservices', apiVersion: 'apiregistration.k8s.io/v1', namespaced: false, aliases: ['apiservice'] },
  { kind: 'Event', plural: 'events', apiVersion: 'v1', namespaced: true, aliases: ['event', 'ev'] },
  { kind: 'ResourceQuota', plural: 'resourcequotas', apiVersion: 'v1', namespaced: true, aliases: ['resourcequota', 'quota'] },
  { kind: 'LimitRange', plural: 'limitranges', apiVersion: 'v1', namespaced: true, aliases: ['limitrange', 'limits'] },
  { kind: 'ControllerRevision', plural: 'controllerrevisions', apiVersion: 'apps/v1', namespaced: true, aliases: ['controllerrevision'] },
  { kind: 'Job', plural: 'jobs', apiVersion: 'batch/v1', namespaced: true, aliases: ['job'] },
  { kind: 'CronJob', plural: 'cronjobs', apiVersion: 'batch/v1', namespaced: true, aliases: ['cronjob', 'cj'] },
  { kind: 'NetworkPolicy', plural: 'networkpolicies', apiVersion: 'networking.k8s.io/v1', namespaced: true, aliases: ['networkpolicy', 'netpol'] },
  { kind: 'Ingress', plural: 'ingresses', apiVersion: 'networking.k8s.io/v1', namespaced: true, aliases: ['ingress', 'ing'] },
  { kind: 'IngressClass', plural: 'ingressclasses', apiVersion: 'networking.k8s.io/v1', namespaced: false, aliases: ['ingressclass'] },
  { kind: 'EndpointSlice', plural: 'endpointslices', apiVersion: 'discovery.k8s.io/v1', namespaced: true, aliases: ['endpointslice'] },
  { kind: 'RuntimeClass', plural: 'runtimeclasses', apiVersion: 'node.k8s.io/v1', namespaced: false, aliases: ['runtimeclass'] },
  { kind: 'CSIDriver', plural: 'csidrivers', apiVersion: 'storage.k8s.io/v1', namespaced: false, aliases: ['csidriver'] },
]

/**
 * How kubectl names a type in its messages and `-o name`: the kind in lower case, with `.group` for
 * every group but the core one (`node`, `daemonset.apps`, `lease.coordination.k8s.io`).
 */
export function kindWithGroup(r: ResourceType): string {
  const slash = r.apiVersion.indexOf('/')
  return slash < 0 ? r.kind.toLowerCase() : `${r.kind.toLowerCase()}.${r.apiVersion.slice(0, slash)}`
}

export function resourceByName(name: string): ResourceType | undefined {
  const n = name.toLowerCase().split('.')[0]!
  return RESOURCE_TYPES.find((r) => r.plural === n || r.aliases.includes(n) || r.kind.toLowerCase() === n)
}

export function builtinForObject(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.kind === kind && r.apiVersion === apiVersion)
}

export function builtinForPath(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.plural === plural && r.apiVersion === (group ? `${group}/${version}` : version))
}

type Obj = Record<string, any>

/** The resource types one CustomResourceDefinition serves: one per served version. */
export function resourcesOfCrd(crd: Obj): ResourceType[] {
  const spec = crd.spec ?? {}
  const names = spec.names ?? {}
  return (spec.versions ?? []).filter((v: Obj) => v.served !== false).map((v: Obj) => ({
    kind: String(names.kind ?? ''),
    plural: String(names.plural ?? ''),
    apiVersion: `${spec.group}/${v.name}`,
    namespaced: spec.scope !== 'Cluster',
    aliases: [names.singular, ...(names.shortNames ?? [])].filter(Boolean).map(String),
  }))
}

export function apiPath(r: ResourceType, namespace: string | undefined, name?: string): string {
  const base = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`
  const ns = r.namespaced && namespace ? `/namespaces/${namespace}` : ''
  return `${base}${ns}/${r.plural}${name ? `/${name}` : ''}`
}
