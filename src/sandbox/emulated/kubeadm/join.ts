// `kubeadm join`: preflight, discovery, (control plane: download certs, certs, kubeconfigs,
// manifests), TLS bootstrap of the kubelet, and for control planes the local API server.
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { load } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { removeHostPath, writeHostFile, makeHostDir } from '../host/paths.js'
import { ApiClient, ApiError } from '../client/api-client.js'
import { createCsr, generateKey } from '../pki/x509.js'
import { renderKubeconfig } from '../kubeconfig.js'
import { formatVersion, type KubeVersion } from '../versions.js'
import { clusterModel, type ClusterModel, type JoinModel } from './config-model.js'
import { certsToTransfer, createCertificates } from './certs.js'
import { createKubeconfigs, KUBECONFIG_DIR, hostPort } from './kubeconfigs.js'
import { writeControlPlaneManifests, writeEtcdManifest, MANIFESTS_DIR } from './static-pods.js'
import { kubeadmFlags, writeKubeletFiles } from './kubelet-files.js'
import { discoverWithFile, discoverWithToken, type DiscoveredCluster } from './discovery.js'
import { decryptBytes } from './upload-certs.js'
import * as pf from './preflight.js'
import { restartKubelet, startApiServer } from './services.js'
import { clientFor, waitHealthy } from './cluster-api.js'
import { KUBELET_CLIENT_PEM, markControlPlane } from './init.js'
import { requiredImages } from './images.js'
import { APISERVER_UPSTREAM } from '../apiserver/from-manifest.js'
import { defaultAdvertiseAddress } from './node-address.js'

export interface JoinOptions {
  model: JoinModel
  kubeadmVersion: KubeVersion
  ignorePreflightErrors: string[]
  log: (s: string) => void
}

function joinChecks(o: JoinOptions): pf.Check[] {
  const m = o.model
  const checks: pf.Check[] = [
    pf.checkCri(m.nodeRegistration.criSocket),
    pf.checkPrivilegedUser(),
    pf.checkSwap(true),
    pf.checkKubeletService(),
    pf.checkDirAvailable(MANIFESTS_DIR),
    pf.checkFileAvailable(`${KUBECONFIG_DIR}/kubelet.conf`),
    pf.checkFileAvailable(`${KUBECONFIG_DIR}/bootstrap-kubelet.conf`),
    pf.checkFileAvailable(m.caCertPath),
    pf.checkPort(10250),
    pf.checkFileContent('/proc/sys/net/bridge/bridge-nf-call-iptables', '1'),
    pf.checkFileContent('/proc/sys/net/ipv4/ip_forward', '1'),
  ]
  if (m.controlPlane) {
    checks.push(
      pf.checkNumCPU(), pf.checkMem(),
      pf.checkPort(m.controlPlane.bindPort), pf.checkPort(10259), pf.checkPort(10257),
      ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'].map((n) => pf.checkFileAvailable(`${MANIFESTS_DIR}/${n}.yaml`)),
    )
  }
  return checks
}

async function fetchClusterConfiguration(c: ApiClient, kubeadmVersion: KubeVersion) {
  const cm = await c.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-system/configmaps/kubeadm-config')
  const raw = (load(cm.data?.ClusterConfiguration ?? '') ?? {}) as Record<string, unknown>
  return clusterModel(raw, String(raw.apiVersion ?? 'kubeadm.k8s.io/v1beta4'), kubeadmVersion)
}

async function downloadCerts(c: ApiClient, cluster: ClusterModel, key: string, log: (s: string) => void): Promise<void> {
  log('[download-certs] Downloading the certificates in Secret "kubeadm-certs" in the "kube-system" Namespace')
  let secret: { data?: Record<string, string> }
  try {
    secret = await c.get('/api/v1/namespaces/kube-system/secrets/kubeadm-certs')
  } catch (e) {
    if (e instanceof ApiError && e.code === 404) {
      throw new EmulatedFailure('error downloading certs: error downloading the secret: Secret "kubeadm-certs" was not found in the "kube-system" Namespace. This Secret might have expired. Please, run `kubeadm init phase upload-certs --upload-certs` on a control plane to generate a new one')
    }
    throw e
  }
  for (const f of certsToTransfer(cluster)) {
    const v = secret.data?.[f.key]
    if (!v) continue
    const content = decryptBytes(Buffer.from(v, 'base64'), key)
    writeHostFile(f.path, content, f.secret ? 0o600 : 0o644)
  }
  log(`[download-certs] Saving the certificates to the folder: "${cluster.certificatesDir}"`)
}

/** The kubelet's TLS bootstrap with the bootstrap token: CSR, signed certificate, kubelet.conf. */
async function tlsBootstrap(d: DiscoveredCluster, token: string, nodeName: string, log: (s: string) => void): Promise<void> {
  writeHostFile(`${KUBECONFIG_DIR}/bootstrap-kubelet.conf`, renderKubeconfig({
    server: d.server, caData: d.caPem, clusterName: 'kubernetes', user: 'tls-bootstrap-token-user', credentials: { token },
  }), 0o600)
  log('[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s')
  log('[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap')
  const c = new ApiClient({ server: d.server, ca: d.caPem, token })
  const key = generateKey('ECDSA-P256')
  const csrName = `node-csr-${nodeName}-${Date.now().toString(36)}`
  const created = await c.call<{ status?: { certificate?: string } }>('POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
    metadata: { name: csrName },
    spec: {
      request: Buffer.from(createCsr({ commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }, key)).toString('base64'),
      signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
      usages: ['digital signature', 'client auth'],
    },
  })
  const cert = created.status?.certificate
  if (!cert) throw new EmulatedFailure('error execution phase kubelet-start: timed out waiting for the condition: the certificate signing request was not approved')
  const certPem = Buffer.from(cert, 'base64').toString('utf8')
  new X509Certificate(certPem)
  makeHostDir('/var/lib/kubelet/pki', 0o700)
  writeHostFile(KUBELET_CLIENT_PEM, certPem + createPrivateKey(key.export({ format: 'pem', type: 'sec1' })).export({ format: 'pem', type: 'sec1' }), 0o600)
  writeHostFile(`${KUBECONFIG_DIR}/kubelet.conf`, renderKubeconfig({
    server: d.server, caData: d.caPem, clusterName: 'default-cluster', user: 'default-auth',
    credentials: { clientCertificate: KUBELET_CLIENT_PEM, clientKey: KUBELET_CLIENT_PEM },
  }), 0o600)
  writeHostFile('/etc/kubernetes/pki/ca.crt', d.caPem, 0o644)
  removeHostPath(`${KUBECONFIG_DIR}/bootstrap-kubelet.conf`)
}

export async function runJoin(o: JoinOptions): Promise<void> {
  const { model: m, log } = o
  const node = m.nodeRegistration.name
  log('[preflight] Running pre-flight checks')
  await pf.runChecks(joinChecks(o), [...m.nodeRegistration.ignorePreflightErrors, ...o.ignorePreflightErrors], log)
  const d = m.discovery.token
    ? await discoverWithToken(m.discovery.token.apiServerEndpoint, m.discovery.token.token, m.discovery.token.caCertHashes, m.discovery.token.unsafeSkipCAVerification)
    : discoverWithFile(m.discovery.file!)
  const bootstrap = new ApiClient({ server: d.server, ca: d.caPem, token: m.discovery.tlsBootstrapToken })
  log('[preflight] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...')
  const cluster = await fetchClusterConfiguration(bootstrap, o.kubeadmVersion)
  if (cluster.kubernetesVersion.minor > o.kubeadmVersion.minor || cluster.kubernetesVersion.minor < o.kubeadmVersion.minor - 1) {
    throw new EmulatedFailure(`this version of kubeadm only supports deploying clusters with the control plane version >= v${o.kubeadmVersion.major}.${o.kubeadmVersion.minor - 1}.0. Current version: ${formatVersion(cluster.kubernetesVersion)}`)
  }
  await pf.runChecks([pf.checkKubeletVersionSkew(o.kubeadmVersion, cluster.kubernetesVersion)], [...m.nodeRegistration.ignorePreflightErrors, ...o.ignorePreflightErrors], log)
  const cp = m.controlPlane
  const advertise = cp ? cp.advertiseAddress || defaultAdvertiseAddress() : ''
  if (cp) {
    if (!cluster.controlPlaneEndpoint) {
      throw new EmulatedFailure('error execution phase preflight: \nOne or more conditions for hosting a new control plane instance is not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn\'t have a stable controlPlaneEndpoint address\n\nPlease ensure that:\n* The cluster has a stable controlPlaneEndpoint address.\n* The certificates that must be shared among control plane instances are provided.')
    }
    if (!cp.certificateKey) {
      throw new EmulatedFailure('error execution phase control-plane-prepare/download-certs: a certificate key is required to download the certificates: pass --certificate-key (printed by `kubeadm init phase upload-certs --upload-certs`)')
    }
    await pf.runChecks([pf.checkImages(m.nodeRegistration.criSocket, requiredImages(cluster), m.nodeRegistration.imagePullPolicy)], [...m.nodeRegistration.ignorePreflightErrors, ...o.ignorePreflightErrors], log)
    await downloadCerts(bootstrap, cluster, cp.certificateKey, log)
    createCertificates({ nodeName: node, advertiseAddress: advertise, cluster }, log)
    createKubeconfigs(cluster, node, advertise, cp.bindPort, log, ['admin.conf', 'super-admin.conf', 'controller-manager.conf', 'scheduler.conf'])
    writeEtcdManifest(cluster, node, advertise, log)
    writeControlPlaneManifests(cluster, advertise, cp.bindPort, log)
  }
  log('[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"')
  const kcm = await bootstrap.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-system/configmaps/kubelet-config')
  const existing = await bootstrap.get<Record<string, unknown>>(`/api/v1/nodes/${node}`).catch(() => undefined)
  const ready = ((existing?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [])
    .some((c) => c.type === 'Ready' && c.status === 'True')
  if (existing && ready) {
    throw new EmulatedFailure(`error execution phase kubelet-start: a Node with name "${node}" and status "Ready" already exists in the cluster. You must delete the existing Node or change the name of this new joining Node`)
  }
  writeKubeletFiles((load(kcm.data?.kubelet ?? '') ?? {}) as Record<string, unknown>, kubeadmFlags(m.nodeRegistration, cp ? advertise : undefined), log)
  await tlsBootstrap(d, m.discovery.tlsBootstrapToken, node, log)
  restartKubelet(log)
  if (cp) {
    // The endpoint discovery used, not the (maybe load-balanced) cluster endpoint, which could lead back here.
    const upstream = m.discovery.token ? `https://${m.discovery.token.apiServerEndpoint}` : d.server
    writeHostFile(APISERVER_UPSTREAM, `${upstream}\n`, 0o600)
    startApiServer(log)
    const ms = await waitHealthy(`https://${hostPort(advertise, cp.bindPort)}`, d.caPem, 4 * 60_000)
    log(`[api-check] The API server is healthy after ${(ms / 1000).toFixed(3)}s`)
    const admin = clientFor(`${KUBECONFIG_DIR}/admin.conf`)
    await markControlPlane(admin, node, m.nodeRegistration.taints ?? [], 4 * 60_000, log)
    log('\nThis node has joined the cluster and a new control plane instance was created')
  } else {
    log('\nThis node has joined the cluster:\n* Certificate signing request was sent to apiserver and a response was received.\n* The Kubelet was informed of the new secure connection details.\n')
    log('Run \'kubectl get nodes\' on the control-plane to see this node join the cluster.')
  }
}
