// The control-plane and etcd static Pod manifests kubeadm writes to /etc/kubernetes/manifests.
import { dump } from 'js-yaml'
import { formatVersion, imageTagsByMinor } from '../versions.js'
import { writeHostFile, hostFileExists } from '../host/paths.js'
import type { ClusterModel } from './config-model.js'
import { hostPort } from './kubeconfigs.js'

export const MANIFESTS_DIR = '/etc/kubernetes/manifests'
export const CONTROL_PLANE_COMPONENTS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const

function command(binary: string, defaults: Array<[string, string]>, extra: Array<[string, string]>): string[] {
  const merged = new Map(defaults)
  for (const [k, v] of extra) merged.set(k, v)
  return [binary, ...[...merged].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `--${k}=${v}`)]
}

function pod(name: string, image: string, cmd: string[], annotations: Record<string, string> = {}): string {
  return dump({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { annotations, labels: { component: name, tier: 'control-plane' }, name, namespace: 'kube-system' },
    spec: {
      containers: [{ command: cmd, image, imagePullPolicy: 'IfNotPresent', name }],
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
    },
    status: {},
  }, { lineWidth: -1 })
}

export function apiServerArgs(c: ClusterModel, advertiseAddress: string, bindPort: number): Array<[string, string]> {
  const pki = c.certificatesDir
  const etcdArgs: Array<[string, string]> = c.etcd.external
    ? [
        ['etcd-servers', c.etcd.external.endpoints.join(',')],
        ['etcd-cafile', c.etcd.external.caFile],
        ['etcd-certfile', c.etcd.external.certFile],
        ['etcd-keyfile', c.etcd.external.keyFile],
      ].filter(([, v]) => v !== '') as Array<[string, string]>
    : [
        ['etcd-servers', 'https://127.0.0.1:2379'],
        ['etcd-cafile', `${pki}/etcd/ca.crt`],
        ['etcd-certfile', `${pki}/apiserver-etcd-client.crt`],
        ['etcd-keyfile', `${pki}/apiserver-etcd-client.key`],
      ]
  return [
    ['advertise-address', advertiseAddress],
    ['allow-privileged', 'true'],
    ['authorization-mode', 'Node,RBAC'],
    ['client-ca-file', `${pki}/ca.crt`],
    ['enable-admission-plugins', 'NodeRestriction'],
    ['enable-bootstrap-token-auth', 'true'],
    ...etcdArgs,
    ['kubelet-client-certificate', `${pki}/apiserver-kubelet-client.crt`],
    ['kubelet-client-key', `${pki}/apiserver-kubelet-client.key`],
    ['kubelet-preferred-address-types', 'InternalIP,ExternalIP,Hostname'],
    ['proxy-client-cert-file', `${pki}/front-proxy-client.crt`],
    ['proxy-client-key-file', `${pki}/front-proxy-client.key`],
    ['requestheader-allowed-names', 'front-proxy-client'],
    ['requestheader-client-ca-file', `${pki}/front-proxy-ca.crt`],
    ['requestheader-extra-headers-prefix', 'X-Remote-Extra-'],
    ['requestheader-group-headers', 'X-Remote-Group'],
    ['requestheader-username-headers', 'X-Remote-User'],
    ['secure-port', String(bindPort)],
    ['service-account-issuer', `https://kubernetes.default.svc.${c.networking.dnsDomain}`],
    ['service-account-key-file', `${pki}/sa.pub`],
    ['service-account-signing-key-file', `${pki}/sa.key`],
    ['service-cluster-ip-range', c.networking.serviceSubnet],
    ['tls-cert-file', `${pki}/apiserver.crt`],
    ['tls-private-key-file', `${pki}/apiserver.key`],
  ]
}

export function writeControlPlaneManifests(c: ClusterModel, advertiseAddress: string, bindPort: number, log: (s: string) => void): void {
  const tag = formatVersion(c.kubernetesVersion)
  const repo = c.imageRepository
  const pki = c.certificatesDir
  log(`[control-plane] Using manifest folder "${MANIFESTS_DIR}"`)
  log('[control-plane] Creating static Pod manifest for "kube-apiserver"')
  writeHostFile(`${MANIFESTS_DIR}/kube-apiserver.yaml`, pod('kube-apiserver', `${repo}/kube-apiserver:${tag}`,
    command('kube-apiserver', apiServerArgs(c, advertiseAddress, bindPort), c.apiServerExtraArgs),
    { 'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': hostPort(advertiseAddress, bindPort) }), 0o600)
  log('[control-plane] Creating static Pod manifest for "kube-controller-manager"')
  writeHostFile(`${MANIFESTS_DIR}/kube-controller-manager.yaml`, pod('kube-controller-manager', `${repo}/kube-controller-manager:${tag}`,
    command('kube-controller-manager', [
      ['authentication-kubeconfig', '/etc/kubernetes/controller-manager.conf'],
      ['authorization-kubeconfig', '/etc/kubernetes/controller-manager.conf'],
      ['bind-address', '127.0.0.1'],
      ['client-ca-file', `${pki}/ca.crt`],
      ['cluster-name', c.clusterName],
      ['cluster-signing-cert-file', `${pki}/ca.crt`],
      ['cluster-signing-key-file', `${pki}/ca.key`],
      ['controllers', '*,bootstrapsigner,tokencleaner'],
      ['kubeconfig', '/etc/kubernetes/controller-manager.conf'],
      ['leader-elect', 'true'],
      ['requestheader-client-ca-file', `${pki}/front-proxy-ca.crt`],
      ['root-ca-file', `${pki}/ca.crt`],
      ['service-account-private-key-file', `${pki}/sa.key`],
      ['use-service-account-credentials', 'true'],
      ...(c.networking.podSubnet ? [['allocate-node-cidrs', 'true'], ['cluster-cidr', c.networking.podSubnet]] as Array<[string, string]> : []),
    ], [])), 0o600)
  log('[control-plane] Creating static Pod manifest for "kube-scheduler"')
  writeHostFile(`${MANIFESTS_DIR}/kube-scheduler.yaml`, pod('kube-scheduler', `${repo}/kube-scheduler:${tag}`,
    command('kube-scheduler', [
      ['authentication-kubeconfig', '/etc/kubernetes/scheduler.conf'],
      ['authorization-kubeconfig', '/etc/kubernetes/scheduler.conf'],
      ['bind-address', '127.0.0.1'],
      ['kubeconfig', '/etc/kubernetes/scheduler.conf'],
      ['leader-elect', 'true'],
    ], [])), 0o600)
}

export function writeEtcdManifest(c: ClusterModel, nodeName: string, advertiseAddress: string, log: (s: string) => void): void {
  const local = c.etcd.local
  if (!local) return
  const tags = imageTagsByMinor[c.kubernetesVersion.minor]
  const pki = c.certificatesDir
  log(`[etcd] Creating static Pod manifest for local etcd in "${MANIFESTS_DIR}"`)
  writeHostFile(`${MANIFESTS_DIR}/etcd.yaml`, pod('etcd', `${local.imageRepository ?? c.imageRepository}/etcd:${local.imageTag ?? tags?.etcd}`,
    command('etcd', [
      ['advertise-client-urls', `https://${hostPort(advertiseAddress, 2379)}`],
      ['cert-file', `${pki}/etcd/server.crt`],
      ['client-cert-auth', 'true'],
      ['data-dir', local.dataDir],
      ['initial-advertise-peer-urls', `https://${hostPort(advertiseAddress, 2380)}`],
      ['initial-cluster', `${nodeName}=https://${hostPort(advertiseAddress, 2380)}`],
      ['key-file', `${pki}/etcd/server.key`],
      ['listen-client-urls', `https://127.0.0.1:2379,https://${hostPort(advertiseAddress, 2379)}`],
      ['listen-peer-urls', `https://${hostPort(advertiseAddress, 2380)}`],
      ['name', nodeName],
      ['peer-cert-file', `${pki}/etcd/peer.crt`],
      ['peer-client-cert-auth', 'true'],
      ['peer-key-file', `${pki}/etcd/peer.key`],
      ['peer-trusted-ca-file', `${pki}/etcd/ca.crt`],
      ['trusted-ca-file', `${pki}/etcd/ca.crt`],
    ], [])), 0o600)
}

export function manifestsPresent(): string[] {
  return [...CONTROL_PLANE_COMPONENTS, 'etcd'].filter((n) => hostFileExists(`${MANIFESTS_DIR}/${n}.yaml`))
}
