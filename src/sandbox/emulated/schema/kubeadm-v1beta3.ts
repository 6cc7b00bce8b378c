// kubeadm.k8s.io/v1beta3, from cmd/kubeadm/app/apis/kubeadm/v1beta3/types.go (Kubernetes 1.22+).
import { bootstrapToken, hostPathType, pullPolicy, taint } from './shared-types.js'
import { bool, duration, fieldsOf, int32, listOf, mapOf, str, struct, type Field, type FieldType, type KindSchema } from './types.js'

const g = (go: string) => `v1beta3.${go}`

const hostPathMount = struct(g('HostPathMount'), {
  name: str, hostPath: str, mountPath: str, readOnly: bool, pathType: hostPathType,
})
const controlPlaneComponentFields = { extraArgs: mapOf(str), extraVolumes: listOf(hostPathMount) }
const controlPlaneComponent = struct(g('ControlPlaneComponent'), controlPlaneComponentFields)
const apiServer = struct(g('APIServer'), {
  ...controlPlaneComponentFields, certSANs: listOf(str), timeoutForControlPlane: duration,
})
const imageMeta = { imageRepository: str, imageTag: str }
const apiEndpoint = struct(g('APIEndpoint'), { advertiseAddress: str, bindPort: int32 })
const nodeRegistration = struct(g('NodeRegistrationOptions'), {
  name: str,
  criSocket: str,
  taints: listOf(taint),
  kubeletExtraArgs: mapOf(str),
  ignorePreflightErrors: listOf(str),
  imagePullPolicy: pullPolicy,
})
const etcd = struct(g('Etcd'), {
  local: struct(g('LocalEtcd'), {
    ...imageMeta, dataDir: str, extraArgs: mapOf(str), serverCertSANs: listOf(str), peerCertSANs: listOf(str),
  }),
  external: struct(g('ExternalEtcd'), { endpoints: listOf(str), caFile: str, certFile: str, keyFile: str }),
})
const patches = struct(g('Patches'), { directory: str })

const kind = (k: string, fields: Record<string, FieldType | Field>): KindSchema =>
  ({ group: 'kubeadm.k8s.io', version: 'v1beta3', kind: k, goPackage: 'v1beta3', fields: fieldsOf(fields) })

export const v1beta3Kinds: KindSchema[] = [
  kind('InitConfiguration', {
    bootstrapTokens: listOf(bootstrapToken),
    nodeRegistration,
    localAPIEndpoint: apiEndpoint,
    certificateKey: str,
    skipPhases: listOf(str),
    patches,
  }),
  kind('ClusterConfiguration', {
    etcd,
    networking: struct(g('Networking'), { serviceSubnet: str, podSubnet: str, dnsDomain: str }),
    kubernetesVersion: str,
    controlPlaneEndpoint: str,
    apiServer,
    controllerManager: controlPlaneComponent,
    scheduler: controlPlaneComponent,
    dns: struct(g('DNS'), imageMeta),
    certificatesDir: str,
    imageRepository: str,
    featureGates: mapOf(bool),
    clusterName: str,
  }),
  kind('JoinConfiguration', {
    nodeRegistration,
    caCertPath: str,
    discovery: struct(g('Discovery'), {
      bootstrapToken: struct(g('BootstrapTokenDiscovery'), {
        token: str, apiServerEndpoint: str, caCertHashes: listOf(str), unsafeSkipCAVerification: bool,
      }),
      file: struct(g('FileDiscovery'), { kubeConfigPath: str }),
      tlsBootstrapToken: str,
      timeout: duration,
    }),
    controlPlane: struct(g('JoinControlPlane'), { localAPIEndpoint: apiEndpoint, certificateKey: str }),
    skipPhases: listOf(str),
    patches,
  }),
]
