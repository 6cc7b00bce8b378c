// Which config kinds exist in which API version, and which kubeadm minors accept that version.
import { v1beta3Kinds } from './kubeadm-v1beta3.js'
import { v1beta4Kinds } from './kubeadm-v1beta4.js'
import { kubeletConfiguration } from './kubelet-v1beta1.js'
import { kubeProxyConfiguration } from './kubeproxy-v1alpha1.js'
import type { KindSchema } from './types.js'

export interface ApiVersionSupport {
  apiVersion: string
  /** First kubeadm minor that decodes it. */
  since: number
  /** First kubeadm minor that prints a deprecation warning for it. */
  deprecatedSince?: number
  /** Last kubeadm minor that decodes it; newer ones refuse it as an old API spec. */
  until?: number
  kinds: KindSchema[]
}

// v1beta3 arrived in 1.22 and is deprecated since 1.31, when v1beta4 arrived. kubeadm 1.36 still
// decodes it; kubernetes PR 136016 removed it for 1.37 ("The 1.35 kubeadm binary can be used to migrate").
export const kubeadmApiVersions: ApiVersionSupport[] = [
  { apiVersion: 'kubeadm.k8s.io/v1beta3', since: 22, deprecatedSince: 31, until: 36, kinds: v1beta3Kinds },
  { apiVersion: 'kubeadm.k8s.io/v1beta4', since: 31, kinds: v1beta4Kinds },
]

/** kubeadm API versions older than every supported one: kubeadm names the release to use instead. */
export const removedKubeadmApiVersions: Record<string, string> = {
  'kubeadm.k8s.io/v1alpha1': 'v1.10',
  'kubeadm.k8s.io/v1alpha2': 'v1.11',
  'kubeadm.k8s.io/v1alpha3': 'v1.12',
  'kubeadm.k8s.io/v1beta1': 'v1.14',
  'kubeadm.k8s.io/v1beta2': 'v1.21',
}

export const componentConfigKinds: KindSchema[] = [kubeletConfiguration, kubeProxyConfiguration]

export const componentConfigGroups = new Set(componentConfigKinds.map((k) => k.group))

/** The kubeadm release to use for an API version a kubeadm of `minor` no longer reads. */
export function removedIn(apiVersion: string, minor: number): string | undefined {
  const gone = kubeadmApiVersions.find((v) => v.apiVersion === apiVersion && v.until !== undefined && minor > v.until)
  return gone ? `v1.${gone.until}` : removedKubeadmApiVersions[apiVersion]
}

export function findKind(apiVersion: string, kind: string, kubeadmMinor: number): KindSchema | undefined {
  for (const v of kubeadmApiVersions) {
    if (v.apiVersion === apiVersion && kubeadmMinor >= v.since && (v.until === undefined || kubeadmMinor <= v.until)) return v.kinds.find((k) => k.kind === kind)
  }
  return componentConfigKinds.find((k) => `${k.group}/${k.version}` === apiVersion && k.kind === kind)
}
