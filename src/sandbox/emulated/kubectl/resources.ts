// kubectl's view of resource types: names, short names, API paths and scope. Unknown kinds
// from `apply -f` (CRDs, CNI objects) get the default plural and scope rules.

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
]

export function resourceByName(name: string): ResourceType | undefined {
  const n = name.toLowerCase().split('.')[0]!
  return RESOURCE_TYPES.find((r) => r.plural === n || r.aliases.includes(n) || r.kind.toLowerCase() === n)
}

/** The type of an object from a manifest; unknown kinds are namespaced unless metadata.namespace is absent and the kind says Cluster. */
export function resourceForObject(apiVersion: string, kind: string): ResourceType {
  const known = RESOURCE_TYPES.find((r) => r.kind === kind && r.apiVersion === apiVersion)
  if (known) return known
  const lower = kind.toLowerCase()
  const plural = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`
  const clusterScoped = /^(Cluster|Global)|^(IPPool|IPAMBlock|BlockAffinity|FelixConfiguration|BGPConfiguration|BGPPeer|HostEndpoint|KubeControllersConfiguration|IPAMConfig|IPAMHandle|ClusterInformation)$/.test(kind)
  return { kind, plural, apiVersion, namespaced: !clusterScoped, aliases: [] }
}

export function apiPath(r: ResourceType, namespace: string | undefined, name?: string): string {
  const base = r.apiVersion === 'v1' ? '/api/v1' : `/apis/${r.apiVersion}`
  const ns = r.namespaced && namespace ? `/namespaces/${namespace}` : ''
  return `${base}${ns}/${r.plural}${name ? `/${name}` : ''}`
}
