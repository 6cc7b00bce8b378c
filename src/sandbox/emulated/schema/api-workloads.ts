// Field tables of the core/v1 types a workload carries (ObjectMeta, PodSpec, Container, Volume…),
// transcribed from k8s.io/api core/v1 and apimachinery meta/v1. `since` marks fields newer than 1.29.
import { anyValue, bool, enumOf, int32, int64, intOrString, listOf, mapOf, quantity, since, str, struct, time } from './types.js'

export const objectMeta = struct('v1.ObjectMeta', {
  name: str,
  generateName: str,
  namespace: str,
  selfLink: str,
  uid: str,
  resourceVersion: str,
  generation: int64,
  creationTimestamp: time,
  deletionTimestamp: time,
  deletionGracePeriodSeconds: int64,
  labels: mapOf(str),
  annotations: mapOf(str),
  ownerReferences: listOf(struct('v1.OwnerReference', {
    apiVersion: str, kind: str, name: str, uid: str, controller: bool, blockOwnerDeletion: bool,
  })),
  finalizers: listOf(str),
  managedFields: listOf(anyValue('v1.ManagedFieldsEntry')),
})

export const labelSelector = struct('v1.LabelSelector', {
  matchLabels: mapOf(str),
  matchExpressions: listOf(struct('v1.LabelSelectorRequirement', { key: str, operator: str, values: listOf(str) })),
})

export const toleration = struct('v1.Toleration', {
  key: str,
  operator: enumOf('v1.TolerationOperator', ['', 'Exists', 'Equal']),
  value: str,
  effect: enumOf('v1.TaintEffect', ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  tolerationSeconds: int64,
})

const localRef = struct('v1.LocalObjectReference', { name: str })
const keySelector = (go: string) => struct(go, { name: str, key: str, optional: bool })
const objectFieldSelector = struct('v1.ObjectFieldSelector', { apiVersion: str, fieldPath: str })
const resourceFieldSelector = struct('v1.ResourceFieldSelector', { containerName: str, resource: str, divisor: quantity })

const envVar = struct('v1.EnvVar', {
  name: str,
  value: str,
  valueFrom: struct('v1.EnvVarSource', {
    fieldRef: objectFieldSelector,
    resourceFieldRef: resourceFieldSelector,
    configMapKeyRef: keySelector('v1.ConfigMapKeySelector'),
    secretKeyRef: keySelector('v1.SecretKeySelector'),
    fileKeyRef: since('1.34', struct('v1.FileKeySelector', { volumeName: str, path: str, key: str, optional: bool })),
  }),
})

const envFrom = struct('v1.EnvFromSource', {
  prefix: str,
  configMapRef: struct('v1.ConfigMapEnvSource', { name: str, optional: bool }),
  secretRef: struct('v1.SecretEnvSource', { name: str, optional: bool }),
})

const protocol = enumOf('v1.Protocol', ['TCP', 'UDP', 'SCTP'])

const resources = struct('v1.ResourceRequirements', {
  limits: mapOf(quantity),
  requests: mapOf(quantity),
  claims: listOf(struct('v1.ResourceClaim', { name: str, request: str })),
})

const httpGet = struct('v1.HTTPGetAction', {
  path: str, port: intOrString, host: str, scheme: enumOf('v1.URIScheme', ['HTTP', 'HTTPS']),
  httpHeaders: listOf(struct('v1.HTTPHeader', { name: str, value: str })),
})
const exec = struct('v1.ExecAction', { command: listOf(str) })
const tcpSocket = struct('v1.TCPSocketAction', { port: intOrString, host: str })

const probe = struct('v1.Probe', {
  exec, httpGet, tcpSocket,
  grpc: struct('v1.GRPCAction', { port: int32, service: str }),
  initialDelaySeconds: int32, timeoutSeconds: int32, periodSeconds: int32,
  successThreshold: int32, failureThreshold: int32, terminationGracePeriodSeconds: int64,
})

const handler = struct('v1.LifecycleHandler', { exec, httpGet, tcpSocket, sleep: struct('v1.SleepAction', { seconds: int64 }) })

const seLinuxOptions = struct('v1.SELinuxOptions', { user: str, role: str, type: str, level: str })
const profile = (go: string) => struct(go, { type: str, localhostProfile: str })

const securityContext = struct('v1.SecurityContext', {
  capabilities: struct('v1.Capabilities', { add: listOf(str), drop: listOf(str) }),
  privileged: bool,
  seLinuxOptions,
  windowsOptions: anyValue('*v1.WindowsSecurityContextOptions'),
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  readOnlyRootFilesystem: bool,
  allowPrivilegeEscalation: bool,
  procMount: str,
  seccompProfile: profile('v1.SeccompProfile'),
  appArmorProfile: since('1.30', profile('v1.AppArmorProfile')),
})

export const container = struct('v1.Container', {
  name: str,
  image: str,
  command: listOf(str),
  args: listOf(str),
  workingDir: str,
  ports: listOf(struct('v1.ContainerPort', { name: str, hostPort: int32, containerPort: int32, protocol, hostIP: str })),
  envFrom: listOf(envFrom),
  env: listOf(envVar),
  resources,
  resizePolicy: listOf(struct('v1.ContainerResizePolicy', { resourceName: str, restartPolicy: str })),
  restartPolicy: str,
  restartPolicyRules: since('1.34', listOf(anyValue('v1.ContainerRestartRule'))),
  volumeMounts: listOf(struct('v1.VolumeMount', {
    name: str, readOnly: bool, recursiveReadOnly: since('1.30', str), mountPath: str, subPath: str,
    mountPropagation: enumOf('v1.MountPropagationMode', ['None', 'HostToContainer', 'Bidirectional']), subPathExpr: str,
  })),
  volumeDevices: listOf(struct('v1.VolumeDevice', { name: str, devicePath: str })),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: struct('v1.Lifecycle', { postStart: handler, preStop: handler, stopSignal: since('1.33', str) }),
  terminationMessagePath: str,
  terminationMessagePolicy: enumOf('v1.TerminationMessagePolicy', ['File', 'FallbackToLogsOnError']),
  imagePullPolicy: enumOf('v1.PullPolicy', ['Always', 'IfNotPresent', 'Never']),
  securityContext,
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
})

const keyToPath = listOf(struct('v1.KeyToPath', { key: str, path: str, mode: int32 }))
const downwardItems = listOf(struct('v1.DownwardAPIVolumeFile', { path: str, fieldRef: objectFieldSelector, resourceFieldRef: resourceFieldSelector, mode: int32 }))

const volume = struct('v1.Volume', {
  name: str,
  hostPath: struct('v1.HostPathVolumeSource', {
    path: str,
    type: enumOf('v1.HostPathType', ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice']),
  }),
  emptyDir: struct('v1.EmptyDirVolumeSource', { medium: str, sizeLimit: quantity }),
  secret: struct('v1.SecretVolumeSource', { secretName: str, items: keyToPath, defaultMode: int32, optional: bool }),
  configMap: struct('v1.ConfigMapVolumeSource', { name: str, items: keyToPath, defaultMode: int32, optional: bool }),
  persistentVolumeClaim: struct('v1.PersistentVolumeClaimVolumeSource', { claimName: str, readOnly: bool }),
  downwardAPI: struct('v1.DownwardAPIVolumeSource', { items: downwardItems, defaultMode: int32 }),
  projected: struct('v1.ProjectedVolumeSource', {
    sources: listOf(struct('v1.VolumeProjection', {
      secret: struct('v1.SecretProjection', { name: str, items: keyToPath, optional: bool }),
      configMap: struct('v1.ConfigMapProjection', { name: str, items: keyToPath, optional: bool }),
      downwardAPI: struct('v1.DownwardAPIProjection', { items: downwardItems }),
      serviceAccountToken: struct('v1.ServiceAccountTokenProjection', { audience: str, expirationSeconds: int64, path: str }),
      clusterTrustBundle: anyValue('*v1.ClusterTrustBundleProjection'),
      podCertificate: since('1.34', anyValue('*v1.PodCertificateProjection')),
    })),
    defaultMode: int32,
  }),
  csi: struct('v1.CSIVolumeSource', { driver: str, readOnly: bool, fsType: str, volumeAttributes: mapOf(str), nodePublishSecretRef: localRef }),
  nfs: struct('v1.NFSVolumeSource', { server: str, path: str, readOnly: bool }),
  image: since('1.31', struct('v1.ImageVolumeSource', { reference: str, pullPolicy: str })),
  ephemeral: anyValue('*v1.EphemeralVolumeSource'),
  ...Object.fromEntries(['gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'iscsi', 'glusterfs', 'rbd', 'flexVolume',
    'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
    'portworxVolume', 'scaleIO', 'storageos'].map((k) => [k, anyValue(`*v1.${k}`)])),
})

const podSecurityContext = struct('v1.PodSecurityContext', {
  seLinuxOptions,
  windowsOptions: anyValue('*v1.WindowsSecurityContextOptions'),
  runAsUser: int64,
  runAsGroup: int64,
  runAsNonRoot: bool,
  supplementalGroups: listOf(int64),
  supplementalGroupsPolicy: since('1.31', str),
  fsGroup: int64,
  sysctls: listOf(struct('v1.Sysctl', { name: str, value: str })),
  fsGroupChangePolicy: str,
  seccompProfile: profile('v1.SeccompProfile'),
  appArmorProfile: since('1.30', profile('v1.AppArmorProfile')),
  seLinuxChangePolicy: since('1.32', str),
})

export const podSpec = struct('v1.PodSpec', {
  volumes: listOf(volume),
  initContainers: listOf(container),
  containers: listOf(container),
  ephemeralContainers: listOf(anyValue('v1.EphemeralContainer')),
  restartPolicy: enumOf('v1.RestartPolicy', ['Always', 'OnFailure', 'Never']),
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: enumOf('v1.DNSPolicy', ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
  nodeSelector: mapOf(str),
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: podSecurityContext,
  imagePullSecrets: listOf(localRef),
  hostname: str,
  subdomain: str,
  affinity: anyValue('*v1.Affinity'),
  schedulerName: str,
  tolerations: listOf(toleration),
  hostAliases: listOf(struct('v1.HostAlias', { ip: str, hostnames: listOf(str) })),
  priorityClassName: str,
  priority: int32,
  dnsConfig: struct('v1.PodDNSConfig', {
    nameservers: listOf(str), searches: listOf(str), options: listOf(struct('v1.PodDNSConfigOption', { name: str, value: str })),
  }),
  readinessGates: listOf(struct('v1.PodReadinessGate', { conditionType: str })),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: str,
  overhead: mapOf(quantity),
  topologySpreadConstraints: listOf(anyValue('v1.TopologySpreadConstraint')),
  setHostnameAsFQDN: bool,
  os: struct('v1.PodOS', { name: str }),
  hostUsers: bool,
  schedulingGates: listOf(struct('v1.PodSchedulingGate', { name: str })),
  resourceClaims: listOf(anyValue('v1.PodResourceClaim')),
  resources: since('1.32', resources),
  hostnameOverride: since('1.34', str),
})

export const podTemplateSpec = struct('v1.PodTemplateSpec', { metadata: objectMeta, spec: podSpec })

export const rollingUpdate = (go: string) => struct(go, { maxUnavailable: intOrString, maxSurge: intOrString })
