// The kubelet-start phase's files: /var/lib/kubelet/config.yaml (the cluster's KubeletConfiguration
// with kubeadm's defaults) and /var/lib/kubelet/kubeadm-flags.env (node-specific flags).
import { hostname } from 'node:os'
import { dump } from 'js-yaml'
import { writeHostFile } from '../host/paths.js'
import { mergePatch } from '../apiserver/store.js'
import type { ClusterModel, NodeRegistration } from './config-model.js'

export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml'
export const KUBEADM_FLAGS_ENV = '/var/lib/kubelet/kubeadm-flags.env'

/** The tenth address of the service subnet: kube-dns's ClusterIP. */
export function dnsServiceIp(serviceSubnet: string): string {
  const parts = serviceSubnet.split(',')[0]!.split('/')[0]!.split('.').map(Number)
  parts[3] = parts[3]! + 10
  return parts.join('.')
}

export function kubeletConfiguration(c: ClusterModel, user: Record<string, unknown> | undefined): Record<string, unknown> {
  const defaults = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    authentication: {
      anonymous: { enabled: false },
      webhook: { cacheTTL: '0s', enabled: true },
      x509: { clientCAFile: `${c.certificatesDir}/ca.crt` },
    },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '0s', cacheUnauthorizedTTL: '0s' } },
    cgroupDriver: 'systemd',
    clusterDNS: [dnsServiceIp(c.networking.serviceSubnet)],
    clusterDomain: c.networking.dnsDomain,
    healthzBindAddress: '127.0.0.1',
    healthzPort: 10248,
    rotateCertificates: true,
    staticPodPath: '/etc/kubernetes/manifests',
  }
  return mergePatch(defaults, user ?? {}) as Record<string, unknown>
}

export function kubeadmFlags(n: NodeRegistration, nodeIp: string | undefined, hostName: string = hostname().toLowerCase()): string {
  const flags = new Map<string, string>([['container-runtime-endpoint', n.criSocket]])
  if (nodeIp) flags.set('node-ip', nodeIp)
  if (n.name !== hostName) flags.set('hostname-override', n.name)
  for (const [k, v] of n.kubeletExtraArgs) flags.set(k, v)
  const args = [...flags].map(([k, v]) => `--${k}=${v}`).join(' ')
  return `KUBELET_KUBEADM_ARGS="${args}"\n`
}

export function writeKubeletFiles(config: Record<string, unknown>, flagsEnv: string, log: (s: string) => void): void {
  log(`[kubelet-start] Writing kubelet environment file with flags to file "${KUBEADM_FLAGS_ENV}"`)
  writeHostFile(KUBEADM_FLAGS_ENV, flagsEnv, 0o644)
  log(`[kubelet-start] Writing kubelet configuration to file "${KUBELET_CONFIG}"`)
  writeHostFile(KUBELET_CONFIG, dump(config, { lineWidth: -1 }), 0o644)
}
