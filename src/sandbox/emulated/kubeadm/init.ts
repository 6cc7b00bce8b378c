// `kubeadm init`: the phases in kubeadm's order, each skippable by name.
import { readFileSync } from 'node:fs'
import { dump } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { hostPath, readHostFile, writeHostFile, makeHostDir } from '../host/paths.js'
import { caCertHash } from '../pki/x509.js'
import { renderKubeconfig, parseKubeconfig } from '../kubeconfig.js'
import { generateToken, tokenSecret } from '../bootstrap-tokens.js'
import { parseGoDuration } from '../decode/duration.js'
import { checkControlPlaneVersion, formatVersion, type KubeVersion } from '../versions.js'
import type { ApiClient } from '../client/api-client.js'
import type { ClusterModel, InitModel } from './config-model.js'
import { certsToTransfer, createCertificates } from './certs.js'
import { createKubeconfigs, controlPlaneUrl, hostPort, KUBECONFIG_DIR } from './kubeconfigs.js'
import { writeControlPlaneManifests, writeEtcdManifest, MANIFESTS_DIR } from './static-pods.js'
import { dnsServiceIp, kubeadmFlags, kubeletConfiguration, writeKubeletFiles } from './kubelet-files.js'
import { requiredImages } from './images.js'
import * as pf from './preflight.js'
import { startApiServer, restartKubelet } from './services.js'
import { clientFor, createOrUpdate, waitFor, waitHealthy } from './cluster-api.js'
import { encryptBytes, generateCertificateKey } from './upload-certs.js'
import { defaultAdvertiseAddress } from './node-address.js'

export interface InitOptions {
  model: InitModel
  kubeadmVersion: KubeVersion
  uploadCerts: boolean
  skipPhases: string[]
  ignorePreflightErrors: string[]
  skipTokenPrint: boolean
  skipCertificateKeyPrint: boolean
  log: (s: string) => void
}

export const INIT_PHASES = [
  'preflight', 'certs', 'kubeconfig', 'etcd', 'control-plane', 'kubelet-start', 'wait-control-plane',
  'upload-config', 'upload-certs', 'mark-control-plane', 'bootstrap-token', 'kubelet-finalize', 'addon',
  'show-join-command',
] as const

function skipped(skip: string[], phase: string): boolean {
  return skip.some((s) => s === phase || s === `${phase}/all` || (phase.includes('/') && s === phase.split('/')[0]))
}

export function resolveAdvertise(model: InitModel): string {
  return model.advertiseAddress || defaultAdvertiseAddress()
}

export function initChecks(o: InitOptions): pf.Check[] {
  const m = o.model
  const c = m.cluster
  const failSwapOn = m.kubeletConfig?.failSwapOn !== false
  const checks: pf.Check[] = [
    pf.checkCri(m.nodeRegistration.criSocket),
    pf.checkNumCPU(),
    pf.checkMem(),
    { name: 'KubernetesVersion', run: () => {
      const r = checkControlPlaneVersion(o.kubeadmVersion, c.kubernetesVersion)
      return { warnings: r.warning ? [r.warning] : [], errors: r.error ? [r.error] : [] }
    } },
    pf.checkPrivilegedUser(),
    pf.checkSwap(failSwapOn),
    pf.checkKubeletService(),
    pf.checkPort(m.bindPort),
    pf.checkPort(10259),
    pf.checkPort(10257),
    ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((n) => pf.checkFileAvailable(`${MANIFESTS_DIR}/${n}.yaml`)),
    pf.checkPort(10250),
    pf.checkFileContent('/proc/sys/net/bridge/bridge-nf-call-iptables', '1'),
    pf.checkFileContent('/proc/sys/net/ipv4/ip_forward', '1'),
    pf.checkKubeletVersionSkew(o.kubeadmVersion, c.kubernetesVersion),
  ]
  if (c.etcd.local) {
    checks.push(pf.checkPort(2379), pf.checkPort(2380), pf.checkDirAvailable(c.etcd.local.dataDir))
  } else if (c.etcd.external) {
    checks.push(pf.checkExternalEtcd(c.etcd.external.endpoints, c.etcd.external))
  }
  checks.push(pf.checkImages(m.nodeRegistration.criSocket, requiredImages(c), m.nodeRegistration.imagePullPolicy))
  return checks
}

function ttlMs(ttl: string): number {
  const ns = parseGoDuration(ttl)
  return ns === undefined ? 24 * 3600_000 : ns / 1e6
}

/** Upload the shared certificates encrypted with `key` (phase upload-certs). */
export async function uploadCerts(admin: ApiClient, cluster: Pick<ClusterModel, 'certificatesDir' | 'etcd'>, key: string, log: (s: string) => void): Promise<void> {
  const data: Record<string, string> = {}
  for (const f of certsToTransfer(cluster)) {
    let content: Buffer
    try {
      content = readFileSync(hostPath(f.path))
    } catch {
      continue
    }
    data[f.key] = encryptBytes(content, key).toString('base64')
  }
  await createOrUpdate(admin, 'secrets', {
    apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
    metadata: { name: 'kubeadm-certs', namespace: 'kube-system' },
    data,
  })
  log('[upload-certs] Storing the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
  log('[upload-certs] Using certificate key:')
  log(key)
}

export async function createBootstrapTokens(admin: ApiClient, model: InitModel, log: (s: string) => void): Promise<string[]> {
  log('[bootstrap-token] Using token: <redacted>')
  const tokens: string[] = []
  for (const t of model.bootstrapTokens) {
    const token = t.token || generateToken()
    tokens.push(token)
    await createOrUpdate(admin, 'secrets', tokenSecret({ token, ...(t.description ? { description: t.description } : {}), ttlMs: ttlMs(t.ttl), usages: t.usages, groups: t.groups }))
  }
  log('[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles')
  log('[bootstrap-token] Creating the "cluster-info" ConfigMap in the "kube-public" namespace')
  return tokens
}

export function joinCommand(endpoint: string, token: string, hash: string, certificateKey?: string): string {
  const base = `kubeadm join ${endpoint} --token ${token} \\\n\t--discovery-token-ca-cert-hash ${hash}`
  return certificateKey ? `${base} \\\n\t--control-plane --certificate-key ${certificateKey}` : base
}

type Model = InitOptions['model']
type KubeletConfig = ReturnType<typeof kubeletConfiguration>

/** The wait-control-plane phase: the API server started, then the kubelet (under systemd) and the API server healthy. */
async function waitControlPlane(m: Model, kubeletConfig: KubeletConfig, localUrl: string, caPem: string, log: (s: string) => void): Promise<void> {
  log(`[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory "${MANIFESTS_DIR}"`)
  startApiServer(log)
  if (pf.systemdRunning()) {
    const healthz = `http://127.0.0.1:${Number(kubeletConfig.healthzPort ?? 10248)}/healthz`
    log(`[kubelet-check] Waiting for a healthy kubelet at ${healthz}. This can take up to 4m0s`)
    await waitFor('[kubelet-check] The kubelet is not healthy', m.controlPlaneTimeoutMs, async () => {
      const r = await fetch(healthz)
      return r.ok ? true : undefined
    })
  }
  log(`[api-check] Waiting for a healthy API server. This can take up to ${Math.round(m.controlPlaneTimeoutMs / 60000)}m0s`)
  const ms = await waitHealthy(localUrl, caPem, m.controlPlaneTimeoutMs)
  log(`[api-check] The API server is healthy after ${(ms / 1000).toFixed(3)}s`)
}

/** The upload-config phase: ClusterConfiguration and the kubelets' configuration as ConfigMaps in kube-system. */
async function uploadConfig(admin: ApiClient, c: Model['cluster'], kubeletConfig: KubeletConfig, log: (s: string) => void): Promise<void> {
  log('[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace')
  await createOrUpdate(admin, 'configmaps', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: dump({ ...c.raw, apiVersion: c.apiVersion, kind: 'ClusterConfiguration' }, { lineWidth: -1 }) },
  })
  log('[kubelet] Creating a ConfigMap "kubelet-config" in namespace kube-system with the configuration for the kubelets in the cluster')
  await createOrUpdate(admin, 'configmaps', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubelet-config', namespace: 'kube-system' },
    data: { kubelet: dump(kubeletConfig, { lineWidth: -1 }) },
  })
}

/** The show-join-command phase: how control planes (with uploaded certificates) and workers join. */
function printJoinCommands(o: InitOptions, endpoint: string, firstToken: string, caPem: string, certificateKey: string | undefined): void {
  const token = o.skipTokenPrint ? '<value withheld>' : firstToken
  const hash = caCertHash(caPem)
  if (certificateKey && o.uploadCerts) {
    o.log('You can now join any number of control-plane nodes running the following command on each as root:\n')
    o.log(`  ${joinCommand(endpoint, token, hash, o.skipCertificateKeyPrint ? '<value withheld>' : certificateKey)}\n`)
  }
  o.log('Then you can join any number of worker nodes by running the following on each as root:\n')
  o.log(`${joinCommand(endpoint, token, hash)}`)
}

/** The phases that write this host's files: preflight, certs, kubeconfig, etcd, control-plane, kubelet-start. */
async function hostPhases(o: InitOptions, skip: string[], advertise: string): Promise<KubeletConfig> {
  const { model: m, log } = o
  const c = m.cluster
  const node = m.nodeRegistration.name
  if (!skipped(skip, 'preflight')) {
    log('[preflight] Running pre-flight checks')
    await pf.runChecks(initChecks(o), [...m.nodeRegistration.ignorePreflightErrors, ...o.ignorePreflightErrors], log)
    log('[preflight] Pulling images required for setting up a Kubernetes cluster')
  }
  if (!skipped(skip, 'certs')) {
    log(`[certs] Using certificateDir folder "${c.certificatesDir}"`)
    createCertificates({ nodeName: node, advertiseAddress: advertise, cluster: c }, log)
  }
  if (!skipped(skip, 'kubeconfig')) {
    log(`[kubeconfig] Using kubeconfig folder "${KUBECONFIG_DIR}"`)
    createKubeconfigs(c, node, advertise, m.bindPort, log)
  }
  if (!skipped(skip, 'etcd')) writeEtcdManifest(c, node, advertise, log)
  if (!skipped(skip, 'control-plane')) writeControlPlaneManifests(c, advertise, m.bindPort, log)
  const kubeletConfig = kubeletConfiguration(c, m.kubeletConfig)
  if (!skipped(skip, 'kubelet-start')) {
    writeKubeletFiles(kubeletConfig, kubeadmFlags(m.nodeRegistration, undefined), log)
    restartKubelet(log)
  }
  return kubeletConfig
}

/** The phases that go through the API server; returns the bootstrap tokens made and the certificate key used. */
async function apiPhases(o: InitOptions, skip: string[], advertise: string, caPem: string, kubeletConfig: KubeletConfig): Promise<{ tokens: string[]; certificateKey?: string }> {
  const { model: m, log } = o
  const c = m.cluster
  const node = m.nodeRegistration.name
  const admin = clientFor(`${KUBECONFIG_DIR}/admin.conf`)
  if (!skipped(skip, 'upload-config')) {
    await uploadConfig(admin, c, kubeletConfig, log)
  }
  let certificateKey = m.certificateKey
  if (o.uploadCerts && !skipped(skip, 'upload-certs')) {
    certificateKey ??= generateCertificateKey()
    await uploadCerts(admin, c, certificateKey, log)
  } else if (!o.uploadCerts) {
    log('[upload-certs] Skipping phase. Please see --upload-certs')
  }
  if (!skipped(skip, 'mark-control-plane')) {
    const labels = ['node-role.kubernetes.io/control-plane', 'node.kubernetes.io/exclude-from-external-load-balancers']
    log(`[mark-control-plane] Marking the node ${node} as control-plane by adding the labels: [${labels.join(' ')}]`)
    await markControlPlane(admin, node, m.nodeRegistration.taints ?? [], m.controlPlaneTimeoutMs, log)
  }
  let tokens: string[] = []
  if (!skipped(skip, 'bootstrap-token')) {
    tokens = await createBootstrapTokens(admin, m, log)
    await publishClusterInfo(admin, controlPlaneUrl(c, advertise, m.bindPort), caPem)
  }
  if (!skipped(skip, 'kubelet-finalize')) finalizeKubeletConfig(log)
  if (!skipped(skip, 'addon')) await installAddons(admin, o, skip, log)
  return { tokens, certificateKey }
}

export async function runInit(o: InitOptions): Promise<void> {
  const { model: m, log } = o
  const c = m.cluster
  const skip = [...m.skipPhases, ...o.skipPhases]
  const advertise = resolveAdvertise(m)
  log(`[init] Using Kubernetes version: ${formatVersion(c.kubernetesVersion)}`)
  const kubeletConfig = await hostPhases(o, skip, advertise)
  const caPem = readHostFile(`${c.certificatesDir}/ca.crt`)
  if (!caPem) throw new EmulatedFailure(`failure loading ca certificate: open ${c.certificatesDir}/ca.crt: no such file or directory`)
  if (!skipped(skip, 'wait-control-plane')) {
    await waitControlPlane(m, kubeletConfig, `https://${hostPort(advertise, m.bindPort)}`, caPem, log)
  }
  const { tokens, certificateKey } = await apiPhases(o, skip, advertise, caPem, kubeletConfig)
  log('\nYour Kubernetes control-plane has initialized successfully!\n')
  log('To start using your cluster, you need to run the following as a regular user:\n')
  log('  mkdir -p $HOME/.kube\n  sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config\n  sudo chown $(id -u):$(id -g) $HOME/.kube/config\n')
  if (!skipped(skip, 'show-join-command') && tokens[0]) {
    printJoinCommands(o, controlPlaneUrl(c, advertise, m.bindPort).replace('https://', ''), tokens[0], caPem, certificateKey)
  }
}

export async function markControlPlane(admin: ApiClient, node: string, taints: Array<{ key: string; value?: string; effect: string }>, timeoutMs: number, log: (s: string) => void): Promise<void> {
  const existing = await waitFor(`[mark-control-plane] error patching node "${node}" through apiserver: timed out waiting for the Node to register`, timeoutMs, async () => {
    try {
      return await admin.get<Record<string, unknown>>(`/api/v1/nodes/${node}`)
    } catch {
      return undefined
    }
  })
  const spec = (existing.spec ?? {}) as { taints?: Array<{ key: string; effect: string }> }
  const merged = [...(spec.taints ?? []).filter((t) => !taints.some((n) => n.key === t.key && n.effect === t.effect)), ...taints]
  if (taints.length) log(`[mark-control-plane] Marking the node ${node} as control-plane by adding the taints [${taints.map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`).join(' ')}]`)
  await admin.call('PATCH', `/api/v1/nodes/${node}`, {
    metadata: { labels: { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } },
    spec: { taints: merged },
  }, 'application/merge-patch+json')
}

/** cluster-info carries only the cluster (server + CA), no users: what discovery trusts after checking the JWS. */
export async function publishClusterInfo(admin: ApiClient, server: string, caPem: string): Promise<void> {
  await createOrUpdate(admin, 'configmaps', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info', namespace: 'kube-public' },
    data: { kubeconfig: dump({
      apiVersion: 'v1',
      clusters: [{ cluster: { 'certificate-authority-data': Buffer.from(caPem).toString('base64'), server }, name: '' }],
      contexts: null, 'current-context': '', kind: 'Config', preferences: {}, users: null,
    }, { lineWidth: -1 }) },
  })
}

export const KUBELET_CLIENT_PEM = '/var/lib/kubelet/pki/kubelet-client-current.pem'

/** kubelet-finalize: point kubelet.conf at the rotatable client certificate file. */
export function finalizeKubeletConfig(log: (s: string) => void): void {
  const path = `${KUBECONFIG_DIR}/kubelet.conf`
  const text = readHostFile(path)
  if (!text) return
  const k = parseKubeconfig(text, path)
  if (!k.credentials.clientCertificateData || !k.credentials.clientKeyData) return
  makeHostDir('/var/lib/kubelet/pki', 0o700)
  writeHostFile(KUBELET_CLIENT_PEM, k.credentials.clientCertificateData + k.credentials.clientKeyData, 0o600)
  writeHostFile(path, renderKubeconfig({
    ...k, credentials: { clientCertificate: KUBELET_CLIENT_PEM, clientKey: KUBELET_CLIENT_PEM },
  }), 0o600)
  log(`[kubelet-finalize] Updating "${path}" to point to a rotatable kubelet client certificate and key`)
}

async function installAddons(admin: ApiClient, o: InitOptions, skip: string[], log: (s: string) => void): Promise<void> {
  const c = o.model.cluster
  const images = requiredImages(c)
  if (!c.dns.disabled && !skipped(skip, 'addon/coredns')) {
    const image = images.find((i) => i.includes('/coredns:'))!
    await createOrUpdate(admin, 'deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: { replicas: 2, selector: { matchLabels: { 'k8s-app': 'kube-dns' } }, template: { metadata: { labels: { 'k8s-app': 'kube-dns' } }, spec: { containers: [{ name: 'coredns', image }], priorityClassName: 'system-cluster-critical', tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } } },
    })
    await createOrUpdate(admin, 'services', {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
      spec: { clusterIP: dnsServiceIp(c.networking.serviceSubnet), selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] },
    })
    log('[addons] Applied essential addon: CoreDNS')
  }
  if (!c.proxyDisabled && !skipped(skip, 'addon/kube-proxy')) {
    const image = images.find((i) => i.includes('/kube-proxy:'))!
    const config = { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', clusterCIDR: c.networking.podSubnet, ...(o.model.kubeProxyConfig ?? {}) }
    await createOrUpdate(admin, 'configmaps', {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-proxy', namespace: 'kube-system' },
      data: { 'config.conf': dump(config, { lineWidth: -1 }) },
    })
    await createOrUpdate(admin, 'daemonsets', {
      apiVersion: 'apps/v1', kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { 'k8s-app': 'kube-proxy' } },
      spec: { selector: { matchLabels: { 'k8s-app': 'kube-proxy' } }, template: { metadata: { labels: { 'k8s-app': 'kube-proxy' } }, spec: { containers: [{ name: 'kube-proxy', image }], hostNetwork: true, nodeSelector: { 'kubernetes.io/os': 'linux' }, priorityClassName: 'system-node-critical', tolerations: [{ operator: 'Exists' }] } } },
    })
    log('[addons] Applied essential addon: kube-proxy')
  }
}

