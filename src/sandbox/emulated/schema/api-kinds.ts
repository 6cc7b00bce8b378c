// Field tables of the built-in API kinds the API server emulator validates (k8s.io/api and
// apiextensions-apiserver types). Kinds it serves without a table are listed in api-resources.ts.
import { anyValue, bool, enumOf, int32, intOrString, listOf, mapOf, str, struct, fieldsOf, type KindSchema, type FieldType } from './types.js'
import { labelSelector, objectMeta, podSpec, podTemplateSpec, rollingUpdate } from './api-workloads.js'

function kind(apiVersion: string, name: string, fields: Record<string, FieldType>): KindSchema {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') as [string, string] : ['', apiVersion]
  return { group, version, kind: name, goPackage: version, fields: fieldsOf({ metadata: objectMeta, ...fields }) }
}

const policyRule = struct('v1.PolicyRule', {
  verbs: listOf(str), apiGroups: listOf(str), resources: listOf(str), resourceNames: listOf(str), nonResourceURLs: listOf(str),
})
const subject = struct('v1.Subject', { kind: str, apiGroup: str, name: str, namespace: str })
const roleRef = struct('v1.RoleRef', { apiGroup: str, kind: str, name: str })
const status = anyValue('status')

export const API_KIND_SCHEMAS: KindSchema[] = [
  kind('v1', 'Namespace', { spec: struct('v1.NamespaceSpec', { finalizers: listOf(str) }), status }),
  kind('v1', 'ServiceAccount', {
    secrets: listOf(anyValue('v1.ObjectReference')),
    imagePullSecrets: listOf(struct('v1.LocalObjectReference', { name: str })),
    automountServiceAccountToken: bool,
  }),
  kind('v1', 'ConfigMap', { data: mapOf(str), binaryData: mapOf(str), immutable: bool }),
  kind('v1', 'Secret', { data: mapOf(str), stringData: mapOf(str), type: str, immutable: bool }),
  kind('v1', 'Service', {
    spec: struct('v1.ServiceSpec', {
      ports: listOf(struct('v1.ServicePort', {
        name: str, protocol: enumOf('v1.Protocol', ['TCP', 'UDP', 'SCTP']), appProtocol: str, port: int32, targetPort: intOrString, nodePort: int32,
      })),
      selector: mapOf(str),
      clusterIP: str,
      clusterIPs: listOf(str),
      type: enumOf('v1.ServiceType', ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']),
      externalIPs: listOf(str),
      sessionAffinity: enumOf('v1.ServiceAffinity', ['None', 'ClientIP']),
      loadBalancerIP: str,
      loadBalancerSourceRanges: listOf(str),
      externalName: str,
      externalTrafficPolicy: enumOf('v1.ServiceExternalTrafficPolicy', ['Cluster', 'Local']),
      healthCheckNodePort: int32,
      publishNotReadyAddresses: bool,
      sessionAffinityConfig: anyValue('*v1.SessionAffinityConfig'),
      ipFamilies: listOf(enumOf('v1.IPFamily', ['IPv4', 'IPv6'])),
      ipFamilyPolicy: enumOf('v1.IPFamilyPolicy', ['SingleStack', 'PreferDualStack', 'RequireDualStack']),
      allocateLoadBalancerNodePorts: bool,
      loadBalancerClass: str,
      internalTrafficPolicy: enumOf('v1.ServiceInternalTrafficPolicy', ['Cluster', 'Local']),
      trafficDistribution: str,
    }),
    status,
  }),
  kind('v1', 'Pod', { spec: podSpec, status }),
  kind('v1', 'Node', {
    spec: struct('v1.NodeSpec', {
      podCIDR: str, podCIDRs: listOf(str), providerID: str, unschedulable: bool,
      taints: listOf(struct('v1.Taint', { key: str, value: str, effect: enumOf('v1.TaintEffect', ['NoSchedule', 'PreferNoSchedule', 'NoExecute']), timeAdded: anyValue('*v1.Time') })),
      configSource: anyValue('*v1.NodeConfigSource'), externalID: str,
    }),
    status,
  }),
  kind('apps/v1', 'Deployment', {
    spec: struct('v1.DeploymentSpec', {
      replicas: int32,
      selector: labelSelector,
      template: podTemplateSpec,
      strategy: struct('v1.DeploymentStrategy', { type: enumOf('v1.DeploymentStrategyType', ['Recreate', 'RollingUpdate']), rollingUpdate: rollingUpdate('v1.RollingUpdateDeployment') }),
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
      paused: bool,
      progressDeadlineSeconds: int32,
    }),
    status,
  }),
  kind('apps/v1', 'DaemonSet', {
    spec: struct('v1.DaemonSetSpec', {
      selector: labelSelector,
      template: podTemplateSpec,
      updateStrategy: struct('v1.DaemonSetUpdateStrategy', { type: enumOf('v1.DaemonSetUpdateStrategyType', ['RollingUpdate', 'OnDelete']), rollingUpdate: rollingUpdate('v1.RollingUpdateDaemonSet') }),
      minReadySeconds: int32,
      revisionHistoryLimit: int32,
    }),
    status,
  }),
  kind('rbac.authorization.k8s.io/v1', 'ClusterRole', {
    rules: listOf(policyRule),
    aggregationRule: struct('v1.AggregationRule', { clusterRoleSelectors: listOf(labelSelector) }),
  }),
  kind('rbac.authorization.k8s.io/v1', 'Role', { rules: listOf(policyRule) }),
  kind('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', { subjects: listOf(subject), roleRef }),
  kind('rbac.authorization.k8s.io/v1', 'RoleBinding', { subjects: listOf(subject), roleRef }),
  kind('policy/v1', 'PodDisruptionBudget', {
    spec: struct('v1.PodDisruptionBudgetSpec', {
      minAvailable: intOrString, selector: labelSelector, maxUnavailable: intOrString,
      unhealthyPodEvictionPolicy: enumOf('v1.UnhealthyPodEvictionPolicyType', ['IfHealthyBudget', 'AlwaysAllow']),
    }),
    status,
  }),
  kind('apiextensions.k8s.io/v1', 'CustomResourceDefinition', {
    spec: struct('v1.CustomResourceDefinitionSpec', {
      group: str,
      names: struct('v1.CustomResourceDefinitionNames', {
        plural: str, singular: str, shortNames: listOf(str), kind: str, listKind: str, categories: listOf(str),
      }),
      scope: enumOf('v1.ResourceScope', ['Cluster', 'Namespaced']),
      versions: listOf(struct('v1.CustomResourceDefinitionVersion', {
        name: str, served: bool, storage: bool, deprecated: bool, deprecationWarning: str,
        schema: struct('v1.CustomResourceValidation', { openAPIV3Schema: anyValue('*v1.JSONSchemaProps') }),
        subresources: anyValue('*v1.CustomResourceSubresources'),
        additionalPrinterColumns: listOf(anyValue('v1.CustomResourceColumnDefinition')),
        selectableFields: listOf(anyValue('v1.SelectableField')),
      })),
      conversion: anyValue('*v1.CustomResourceConversion'),
      preserveUnknownFields: bool,
    }),
    status,
  }),
]
