// kubeadm's internal configuration: the decoded documents (either API version) with kubeadm's
// defaults applied, plus the semantic validation kubeadm runs after decoding.
import { isIP } from 'node:net'
import { hostname } from 'node:os'
import { EmulatedFailure } from '../failure.js'
import type { DecodedConfig } from '../decode/documents.js'
import { parseGoDuration } from '../decode/duration.js'
import { DEFAULT_CRI_SOCKET } from '../cri/client.js'
import { formatVersion, parseKubeVersion, type KubeVersion } from '../versions.js'
import type { KeyAlgorithm } from '../pki/x509.js'
import { featureGateErrors } from './feature-gates.js'

export interface Taint {
  key: string
  value?: string
  effect: string
}

export interface NodeRegistration {
  name: string
  criSocket: string
  taints: Taint[] | undefined
  kubeletExtraArgs: Array<[string, string]>
  ignorePreflightErrors: string[]
  imagePullPolicy: string
}

export interface BootstrapTokenSpec {
  token: string
  description?: string
  ttl: string
  usages: string[]
  groups: string[]
}

export interface ClusterModel {
  kubernetesVersion: KubeVersion
  clusterName: string
  controlPlaneEndpoint: string
  imageRepository: string
  certificatesDir: string
  encryptionAlgorithm: KeyAlgorithm
  certValidityMs: number
  caValidityMs: number
  networking: { serviceSubnet: string; podSubnet: string; dnsDomain: string }
  certSANs: string[]
  apiServerExtraArgs: Array<[string, string]>
  etcd: {
    local?: { dataDir: string; imageRepository?: string; imageTag?: string; serverCertSANs: string[]; peerCertSANs: string[] }
    external?: { endpoints: string[]; caFile: string; certFile: string; keyFile: string }
  }
  dns: { imageRepository?: string; imageTag?: string; disabled: boolean }
  proxyDisabled: boolean
  raw: Record<string, unknown>
  apiVersion: string
}

export interface InitModel {
  cluster: ClusterModel
  nodeRegistration: NodeRegistration
  advertiseAddress: string
  bindPort: number
  bootstrapTokens: BootstrapTokenSpec[]
  certificateKey?: string
  skipPhases: string[]
  kubeletConfig?: Record<string, unknown>
  kubeProxyConfig?: Record<string, unknown>
  controlPlaneTimeoutMs: number
}

export interface JoinModel {
  nodeRegistration: NodeRegistration
  caCertPath: string
  discovery: {
    token?: { token: string; apiServerEndpoint: string; caCertHashes: string[]; unsafeSkipCAVerification: boolean }
    file?: string
    tlsBootstrapToken: string
  }
  controlPlane?: { advertiseAddress: string; bindPort: number; certificateKey: string }
  skipPhases: string[]
}

type Obj = Record<string, unknown>
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {})
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : [])
const s = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** extraArgs: a map in v1beta3, a list of {name, value} in v1beta4. */
function args(v: unknown): Array<[string, string]> {
  if (Array.isArray(v)) return v.map((a) => [String(obj(a).name), String(obj(a).value ?? '')])
  return Object.entries(obj(v)).map(([k, val]) => [k, String(val)])
}

const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/

export function validateToken(token: string, path: string): void {
  if (!TOKEN.test(token)) {
    throw new EmulatedFailure(`${path}: Invalid value: "${token}": the bootstrap token is invalid`)
  }
}

function nodeRegistration(v: unknown, controlPlane: boolean): NodeRegistration {
  const n = obj(v)
  const taints = Array.isArray(n.taints)
    ? n.taints.map((t) => ({ key: String(obj(t).key), ...(s(obj(t).value) ? { value: String(obj(t).value) } : {}), effect: String(obj(t).effect) }))
    : undefined
  const pull = s(n.imagePullPolicy) ?? 'IfNotPresent'
  return {
    name: (s(n.name) ?? hostname()).toLowerCase(),
    criSocket: s(n.criSocket) ?? DEFAULT_CRI_SOCKET,
    taints: taints ?? (controlPlane ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : undefined),
    kubeletExtraArgs: args(n.kubeletExtraArgs),
    ignorePreflightErrors: strs(n.ignorePreflightErrors),
    imagePullPolicy: pull,
  }
}

function cidrValid(c: string): boolean {
  return c.split(',').every((part) => {
    const [ip, bits] = part.split('/')
    const fam = isIP(ip ?? '')
    return fam !== 0 && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= (fam === 4 ? 32 : 128)
  })
}

function durationMsOf(v: unknown, fallback: number): number {
  const ns = typeof v === 'string' ? parseGoDuration(v) : undefined
  return ns === undefined ? fallback : ns / 1e6
}

/** kubeadm's semantic checks of a ClusterConfiguration for a kubeadm of `minor`, worded as kubeadm words them. */
function clusterErrors(c: Obj, networking: ClusterModel['networking'], minor: number): string[] {
  const errs: string[] = []
  if (!cidrValid(networking.serviceSubnet)) errs.push(`networking.serviceSubnet: Invalid value: "${networking.serviceSubnet}": couldn't parse subnet`)
  if (networking.podSubnet && !cidrValid(networking.podSubnet)) errs.push(`networking.podSubnet: Invalid value: "${networking.podSubnet}": couldn't parse subnet`)
  const etcd = obj(c.etcd)
  if (etcd.local && etcd.external) errs.push('etcd: Invalid value: "": either .Etcd.Local or .Etcd.External is required')
  if (etcd.external && strs(obj(etcd.external).endpoints).length === 0) errs.push('etcd.external.endpoints: Required value: empty endpoints list is not allowed')
  errs.push(...featureGateErrors(obj(c.featureGates), minor))
  // ECDSA-P384 joined kubeadm's known algorithms in 1.34 (the v1beta4 changelog).
  if (c.encryptionAlgorithm === 'ECDSA-P384' && minor < 34) {
    errs.push('encryptionAlgorithm: Unsupported value: "ECDSA-P384": supported values: "ECDSA-P256", "RSA-2048", "RSA-3072", "RSA-4096"')
  }
  return errs
}

/** External etcd when the document names one, else the local (stacked) member with kubeadm's defaults. */
function etcdModel(etcd: Obj): ClusterModel['etcd'] {
  if (etcd.external) {
    const ext = obj(etcd.external)
    return { external: { endpoints: strs(ext.endpoints), caFile: String(ext.caFile ?? ''), certFile: String(ext.certFile ?? ''), keyFile: String(ext.keyFile ?? '') } }
  }
  const local = obj(etcd.local)
  return {
    local: {
      dataDir: s(local.dataDir) ?? '/var/lib/etcd',
      ...(s(local.imageRepository) ? { imageRepository: String(local.imageRepository) } : {}),
      ...(s(local.imageTag) ? { imageTag: String(local.imageTag) } : {}),
      serverCertSANs: strs(local.serverCertSANs),
      peerCertSANs: strs(local.peerCertSANs),
    },
  }
}

export function clusterModel(doc: Obj | undefined, apiVersion: string, defaultVersion: KubeVersion): ClusterModel {
  const c = obj(doc)
  const versionText = s(c.kubernetesVersion)
  const kubernetesVersion = versionText ? parseKubeVersion(versionText) : defaultVersion
  if (!kubernetesVersion) {
    throw new EmulatedFailure(`couldn't parse Kubernetes version "${versionText}": could not parse "${versionText}" as version`)
  }
  const net = obj(c.networking)
  const networking = {
    serviceSubnet: s(net.serviceSubnet) ?? '10.96.0.0/12',
    podSubnet: s(net.podSubnet) ?? '',
    dnsDomain: s(net.dnsDomain) ?? 'cluster.local',
  }
  const errs = clusterErrors(c, networking, defaultVersion.minor)
  if (errs.length) throw new EmulatedFailure(errs.join(', '))
  const dns = obj(c.dns)
  const apiServer = obj(c.apiServer)
  return {
    kubernetesVersion,
    clusterName: s(c.clusterName) ?? 'kubernetes',
    controlPlaneEndpoint: s(c.controlPlaneEndpoint) ?? '',
    imageRepository: s(c.imageRepository) ?? 'registry.k8s.io',
    certificatesDir: s(c.certificatesDir) ?? '/etc/kubernetes/pki',
    encryptionAlgorithm: (s(c.encryptionAlgorithm) ?? 'RSA-2048') as KeyAlgorithm,
    certValidityMs: durationMsOf(c.certificateValidityPeriod, 365 * 24 * 3600_000),
    caValidityMs: durationMsOf(c.caCertificateValidityPeriod, 10 * 365 * 24 * 3600_000),
    networking,
    certSANs: strs(apiServer.certSANs),
    apiServerExtraArgs: args(apiServer.extraArgs),
    etcd: etcdModel(obj(c.etcd)),
    dns: {
      ...(s(dns.imageRepository) ? { imageRepository: String(dns.imageRepository) } : {}),
      ...(s(dns.imageTag) ? { imageTag: String(dns.imageTag) } : {}),
      disabled: dns.disabled === true,
    },
    proxyDisabled: obj(c.proxy).disabled === true,
    raw: { ...c, kubernetesVersion: formatVersion(kubernetesVersion) },
    apiVersion,
  }
}

function find(cfg: DecodedConfig, kind: string) {
  return cfg.documents.find((d) => d.kind === kind)
}

export function initModel(cfg: DecodedConfig, defaultVersion: KubeVersion): InitModel {
  const initDoc = find(cfg, 'InitConfiguration')
  const clusterDoc = find(cfg, 'ClusterConfiguration')
  const apiVersion = clusterDoc?.apiVersion ?? initDoc?.apiVersion ?? 'kubeadm.k8s.io/v1beta4'
  const cluster = clusterModel(clusterDoc?.body, apiVersion, defaultVersion)
  const i = obj(initDoc?.body)
  const ep = obj(i.localAPIEndpoint)
  const bindPort = typeof ep.bindPort === 'number' && ep.bindPort !== 0 ? ep.bindPort : 6443
  const advertiseAddress = s(ep.advertiseAddress) ?? ''
  const errs: string[] = []
  if (advertiseAddress && isIP(advertiseAddress) === 0) {
    errs.push(`localAPIEndpoint.advertiseAddress: Invalid value: "${advertiseAddress}": cannot parse IP address`)
  }
  if (bindPort < 1 || bindPort > 65535) errs.push(`localAPIEndpoint.bindPort: Invalid value: ${bindPort}: must be between 1 and 65535, inclusive`)
  const tokens = (Array.isArray(i.bootstrapTokens) ? i.bootstrapTokens : []).map((t, n) => {
    const tok = obj(t)
    const token = String(tok.token ?? '')
    if (token) validateToken(token, `bootstrapTokens[${n}].token`)
    for (const u of strs(tok.usages)) {
      if (!['signing', 'authentication'].includes(u)) {
        errs.push(`bootstrapTokens[${n}].usages: Invalid value: ${JSON.stringify(strs(tok.usages))}: invalid bootstrap token usage string: ${u}, valid usage options: signing, authentication`)
      }
    }
    return {
      token,
      ...(s(tok.description) ? { description: String(tok.description) } : {}),
      ttl: s(tok.ttl) ?? '24h0m0s',
      usages: strs(tok.usages).length ? strs(tok.usages) : ['signing', 'authentication'],
      groups: strs(tok.groups).length ? strs(tok.groups) : ['system:bootstrappers:kubeadm:default-node-token'],
    }
  })
  const certificateKey = s(i.certificateKey)
  if (certificateKey && !/^[0-9a-f]{64}$/.test(certificateKey)) {
    errs.push(`certificateKey: Invalid value: "${certificateKey}": certificate key must be a hex encoded string of 32 bytes`)
  }
  if (errs.length) throw new EmulatedFailure(errs.join(', '))
  const timeouts = obj(i.timeouts)
  const v1beta3Timeout = obj(obj(clusterDoc?.body).apiServer).timeoutForControlPlane
  return {
    cluster,
    nodeRegistration: nodeRegistration(i.nodeRegistration, true),
    advertiseAddress,
    bindPort,
    bootstrapTokens: tokens.length ? tokens : [{ token: '', ttl: '24h0m0s', usages: ['signing', 'authentication'], groups: ['system:bootstrappers:kubeadm:default-node-token'] }],
    ...(certificateKey ? { certificateKey } : {}),
    skipPhases: strs(i.skipPhases),
    kubeletConfig: find(cfg, 'KubeletConfiguration')?.body,
    kubeProxyConfig: find(cfg, 'KubeProxyConfiguration')?.body,
    controlPlaneTimeoutMs: durationMsOf(timeouts.controlPlaneComponentHealthCheck ?? v1beta3Timeout, 4 * 60_000),
  }
}

export function joinModel(cfg: DecodedConfig): JoinModel {
  const doc = find(cfg, 'JoinConfiguration')
  if (!doc) throw new EmulatedFailure('no JoinConfiguration kind was found in the YAML file')
  const j = doc.body
  const d = obj(j.discovery)
  const bt = d.bootstrapToken ? obj(d.bootstrapToken) : undefined
  const file = d.file ? s(obj(d.file).kubeConfigPath) : undefined
  const errs: string[] = []
  if (!bt && !file) errs.push('discovery: Invalid value: "": bootstrapToken or file must be set')
  if (bt && file) errs.push('discovery: Invalid value: "": bootstrapToken and file cannot both be set')
  if (bt) {
    const token = String(bt.token ?? '')
    validateToken(token, 'discovery.bootstrapToken.token')
    if (!s(bt.apiServerEndpoint)) errs.push('discovery.bootstrapToken.apiServerEndpoint: Invalid value: "": discovery.bootstrapToken.apiServerEndpoint must be set')
    if (strs(bt.caCertHashes).length === 0 && bt.unsafeSkipCAVerification !== true) {
      errs.push('discovery.bootstrapToken: Invalid value: "": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue')
    }
    for (const h of strs(bt.caCertHashes)) {
      if (!/^sha256:[0-9a-f]{64}$/.test(h)) errs.push(`discovery.bootstrapToken.caCertHashes: Invalid value: "${h}": invalid hash "${h}", expected "sha256:" followed by 64 hex characters`)
    }
  }
  const cp = j.controlPlane ? obj(j.controlPlane) : undefined
  const cpKey = cp ? s(cp.certificateKey) : undefined
  if (cpKey && !/^[0-9a-f]{64}$/.test(cpKey)) errs.push(`controlPlane.certificateKey: Invalid value: "${cpKey}": certificate key must be a hex encoded string of 32 bytes`)
  if (errs.length) throw new EmulatedFailure(errs.join(', '))
  const ep = obj(cp?.localAPIEndpoint)
  return {
    nodeRegistration: nodeRegistration(j.nodeRegistration, cp !== undefined),
    caCertPath: s(j.caCertPath) ?? '/etc/kubernetes/pki/ca.crt',
    discovery: {
      ...(bt ? { token: { token: String(bt.token), apiServerEndpoint: String(bt.apiServerEndpoint), caCertHashes: strs(bt.caCertHashes), unsafeSkipCAVerification: bt.unsafeSkipCAVerification === true } } : {}),
      ...(file ? { file } : {}),
      tlsBootstrapToken: s(d.tlsBootstrapToken) ?? (bt ? String(bt.token) : ''),
    },
    ...(cp ? { controlPlane: { advertiseAddress: s(ep.advertiseAddress) ?? '', bindPort: typeof ep.bindPort === 'number' && ep.bindPort ? ep.bindPort : 6443, certificateKey: cpKey ?? '' } } : {}),
    skipPhases: strs(j.skipPhases),
  }
}
