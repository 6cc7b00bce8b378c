// The kubeconfig phase: admin, super-admin, kubelet, controller-manager and scheduler kubeconfigs
// with client certificates signed by the cluster CA.
import { hostFileExists, readHostFile, writeHostFile } from '../host/paths.js'
import { renderKubeconfig } from '../kubeconfig.js'
import { issueClientCert, loadCa } from './certs.js'
import type { ClusterModel } from './config-model.js'

export const KUBECONFIG_DIR = '/etc/kubernetes'

export interface KubeconfigUser {
  file: string
  user: (nodeName: string) => string
  groups: string[]
  /** Local components talk to the local API server; users and kubelets to the control-plane endpoint. */
  local: boolean
}

export const KUBECONFIG_USERS: KubeconfigUser[] = [
  { file: 'admin.conf', user: () => 'kubernetes-admin', groups: ['kubeadm:cluster-admins'], local: false },
  { file: 'super-admin.conf', user: () => 'kubernetes-super-admin', groups: ['system:masters'], local: false },
  { file: 'kubelet.conf', user: (n) => `system:node:${n}`, groups: ['system:nodes'], local: false },
  { file: 'controller-manager.conf', user: () => 'system:kube-controller-manager', groups: [], local: true },
  { file: 'scheduler.conf', user: () => 'system:kube-scheduler', groups: [], local: true },
]

export function controlPlaneUrl(cluster: ClusterModel, advertiseAddress: string, bindPort: number): string {
  const ep = cluster.controlPlaneEndpoint
  if (!ep) return `https://${hostPort(advertiseAddress, bindPort)}`
  return /:\d+$/.test(ep) && !/^[0-9a-f:]+$/i.test(ep) ? `https://${ep}` : `https://${hostPort(ep, bindPort)}`
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

export function writeKubeconfig(
  cluster: ClusterModel, file: string, user: string, groups: string[], server: string, log: (s: string) => void,
): void {
  const path = `${KUBECONFIG_DIR}/${file}`
  if (hostFileExists(path)) {
    log(`[kubeconfig] Using existing kubeconfig file: "${path}"`)
    return
  }
  const ca = loadCa(cluster.certificatesDir, 'ca')
  if (!ca) throw new Error(`couldn't create a kubeconfig; the CA files couldn't be loaded: open ${cluster.certificatesDir}/ca.crt: no such file or directory`)
  const { cert, key } = issueClientCert(ca, user, groups, cluster.encryptionAlgorithm, cluster.certValidityMs)
  log(`[kubeconfig] Writing "${file}" kubeconfig file`)
  writeHostFile(path, renderKubeconfig({
    server,
    caData: readHostFile(`${cluster.certificatesDir}/ca.crt`)!,
    clusterName: cluster.clusterName,
    user,
    credentials: { clientCertificateData: cert, clientKeyData: key },
  }), 0o600)
}

export function createKubeconfigs(
  cluster: ClusterModel, nodeName: string, advertiseAddress: string, bindPort: number, log: (s: string) => void,
  only?: string[],
): void {
  for (const u of KUBECONFIG_USERS) {
    if (only && !only.includes(u.file)) continue
    const server = u.local ? `https://${hostPort(advertiseAddress, bindPort)}` : controlPlaneUrl(cluster, advertiseAddress, bindPort)
    writeKubeconfig(cluster, u.file, u.user(nodeName), u.groups, server, log)
  }
}
