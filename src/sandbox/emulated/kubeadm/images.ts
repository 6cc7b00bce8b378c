// The images a kubeadm release deploys (`kubeadm config images list`), honouring the
// imageRepository / imageTag overrides of the ClusterConfiguration.
import { imageTagsByMinor, formatVersion } from '../versions.js'
import type { ClusterModel } from './config-model.js'

export function requiredImages(c: ClusterModel): string[] {
  const v = c.kubernetesVersion
  const tags = imageTagsByMinor[v.minor] ?? imageTagsByMinor[Math.max(...Object.keys(imageTagsByMinor).map(Number))]!
  const repo = c.imageRepository
  const kubeTag = formatVersion(v).replace('+', '_')
  const images = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']
    .map((n) => `${repo}/${n}:${kubeTag}`)
  if (!c.proxyDisabled) images.push(`${repo}/kube-proxy:${kubeTag}`)
  if (!c.dns.disabled) {
    // CoreDNS lives under coredns/ only on the default registry.
    const dnsRepo = c.dns.imageRepository ?? (repo === 'registry.k8s.io' ? 'registry.k8s.io/coredns' : repo)
    images.push(`${dnsRepo}/coredns:${c.dns.imageTag ?? tags.coredns}`)
  }
  images.push(`${repo}/pause:${tags.pause}`)
  if (c.etcd.local) images.push(`${c.etcd.local.imageRepository ?? repo}/etcd:${c.etcd.local.imageTag ?? tags.etcd}`)
  return images
}
