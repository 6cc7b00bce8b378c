// kubeadm.k8s.io/v1beta4, from cmd/kubeadm/app/apis/kubeadm/v1beta4/types.go (Kubernetes 1.31+).
import { bootstrapToken, envVar, hostPathType, pullPolicy, taint } from './shared-types.js'
import { bool, duration, enumOf, fieldsOf, int, int32, listOf, mapOf, since, str, struct, type Field, type FieldType, type KindSchema } from './types.js'

const g = (go: string) => `v1beta4.${go}`

const arg = struct(g('Arg'), { name: str, value: str })
const hostPathMount = struct(g('HostPathMount'), {
  name: str, hostPath: str, mountPath: str, readOnly: bool, pathType: hostPathType,
})
const controlPlaneComponentFields = {
  extraArgs: listOf(arg),
  extraVolumes: listOf(hostPathMount),
  extraEnvs: listOf(envVar),
}
const controlPlaneComponent = struct(g('ControlPlaneComponent'), controlPlaneComponentFields)
const apiServer = struct(g('APIServer'), { ...controlPlaneComponentFields, certSANs: listOf(str) })
const imageMeta = { imageRepository: str, imageTag: str }
const dns = struct(g('DNS'), { ...imageMeta, disabled: bool })
const proxy = struct(g('Proxy'), { disabled: bool })
const apiEndpoint = struct(g('APIEndpoint'), { advertiseAddress: str, bindPort: int32 })
const nodeRegistration = struct(g('NodeRegistrationOptions'), {
  name: str,
  criSocket: str,
  taints: listOf(taint),
  kubeletExtraArgs: listOf(arg),
  ignorePreflightErrors: listOf(str),
  imagePullPolicy: pullPolicy,
  imagePullSerial: since('1.31', bool),
})
const networking = struct(g('Networking'), { serviceSubnet: str, podSubnet: str, dnsDomain: str })
const localEtcd = struct(g('LocalEtcd'), {
  ...imageMeta,
  dataDir: str,
  extraArgs: listOf(arg),
  extraEnvs: listOf(envVar),
  serverCertSANs: listOf(str),
  peerCertSANs: listOf(str),
})
const externalEtcd = struct(g('ExternalEtcd'), { endpoints: listOf(str), httpEndpoints: since('1.35', listOf(str)), caFile: str, certFile: str, keyFile: str })
const etcd = struct(g('Etcd'), { local: localEtcd, external: externalEtcd })
const patches = struct(g('Patches'), { directory: str })
export const encryptionAlgorithm = enumOf(g('EncryptionAlgorithmType'), ['ECDSA-P256', 'ECDSA-P384', 'RSA-2048', 'RSA-3072', 'RSA-4096'])
const timeouts = struct(g('Timeouts'), {
  controlPlaneComponentHealthCheck: duration,
  kubeletHealthCheck: duration,
  kubernetesAPICall: duration,
  etcdAPICall: duration,
  tlsBootstrap: duration,
  discovery: duration,
  upgradeManifests: duration,
})
const joinControlPlane = struct(g('JoinControlPlane'), { localAPIEndpoint: apiEndpoint, certificateKey: str })
const discovery = struct(g('Discovery'), {
  bootstrapToken: struct(g('BootstrapTokenDiscovery'), {
    token: str, apiServerEndpoint: str, caCertHashes: listOf(str), unsafeSkipCAVerification: bool,
  }),
  file: struct(g('FileDiscovery'), { kubeConfigPath: str }),
  tlsBootstrapToken: str,
})

const kind = (k: string, fields: Record<string, FieldType | Field>): KindSchema =>
  ({ group: 'kubeadm.k8s.io', version: 'v1beta4', kind: k, goPackage: 'v1beta4', fields: fieldsOf(fields) })

export const v1beta4Kinds: KindSchema[] = [
  kind('InitConfiguration', {
    bootstrapTokens: listOf(bootstrapToken),
    dryRun: bool,
    nodeRegistration,
    localAPIEndpoint: apiEndpoint,
    certificateKey: str,
    skipPhases: listOf(str),
    patches,
    timeouts,
  }),
  kind('ClusterConfiguration', {
    etcd,
    networking,
    kubernetesVersion: str,
    controlPlaneEndpoint: str,
    apiServer,
    controllerManager: controlPlaneComponent,
    scheduler: controlPlaneComponent,
    dns,
    proxy,
    certificatesDir: str,
    imageRepository: str,
    featureGates: mapOf(bool),
    clusterName: str,
    encryptionAlgorithm,
    certificateValidityPeriod: duration,
    caCertificateValidityPeriod: duration,
  }),
  kind('JoinConfiguration', {
    dryRun: bool,
    nodeRegistration,
    caCertPath: str,
    discovery,
    controlPlane: joinControlPlane,
    skipPhases: listOf(str),
    patches,
    timeouts,
  }),
  kind('ResetConfiguration', {
    cleanupTmpDir: bool,
    certificatesDir: str,
    criSocket: str,
    dryRun: bool,
    force: bool,
    ignorePreflightErrors: listOf(str),
    skipPhases: listOf(str),
    unmountFlags: since('1.32', listOf(enumOf('string', ['MNT_FORCE', 'MNT_DETACH', 'MNT_EXPIRE', 'UMOUNT_NOFOLLOW']))),
    timeouts,
  }),
  kind('UpgradeConfiguration', {
    apply: struct(g('UpgradeApplyConfiguration'), {
      kubernetesVersion: str,
      allowExperimentalUpgrades: bool,
      allowRCUpgrades: bool,
      certificateRenewal: bool,
      dryRun: bool,
      etcdUpgrade: bool,
      forceUpgrade: bool,
      ignorePreflightErrors: listOf(str),
      patches,
      printConfig: bool,
      // The Go field has no json tag, so its JSON name is the Go name.
      SkipPhases: listOf(str),
    }),
    diff: struct(g('UpgradeDiffConfiguration'), { kubernetesVersion: str, contextLines: int }),
    node: struct(g('UpgradeNodeConfiguration'), {
      certificateRenewal: bool,
      dryRun: bool,
      etcdUpgrade: bool,
      ignorePreflightErrors: listOf(str),
      skipPhases: listOf(str),
      patches,
    }),
    plan: struct(g('UpgradePlanConfiguration'), {
      kubernetesVersion: str,
      allowExperimentalUpgrades: bool,
      allowRCUpgrades: bool,
      dryRun: bool,
      etcdUpgrade: since('1.33', bool),
      ignorePreflightErrors: listOf(str),
      printConfig: bool,
    }),
    timeouts,
  }),
]
