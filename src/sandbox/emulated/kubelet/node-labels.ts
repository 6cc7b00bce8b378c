// --node-labels as the kubelet validates it (ValidateKubeletFlags): labels in the kubernetes.io and
// k8s.io namespaces only from the kubelet's own allowed prefixes and set, so node-role labels must
// be applied through the API (as kubespray does), never by the kubelet.
import { EmulatedFailure } from '../failure.js'

const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io']
const KUBELET_LABELS = [
  'beta.kubernetes.io/arch', 'beta.kubernetes.io/instance-type', 'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region', 'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch', 'kubernetes.io/hostname', 'kubernetes.io/os',
  'node.kubernetes.io/instance-type', 'topology.kubernetes.io/region', 'topology.kubernetes.io/zone',
]

function namespaceOf(key: string): string {
  const slash = key.indexOf('/')
  return slash < 0 ? '' : key.slice(0, slash)
}

const inDomain = (ns: string, domain: string): boolean => ns === domain || ns.endsWith(`.${domain}`)

/** "k1=v1,k2=v2" into a map, or the kubelet's error for a label it may not set itself. */
export function parseNodeLabels(flag: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const item of (flag ?? '').split(',').filter(Boolean)) {
    const eq = item.indexOf('=')
    labels[eq < 0 ? item : item.slice(0, eq)] = eq < 0 ? '' : item.slice(eq + 1)
  }
  const refused = Object.keys(labels).filter((k) => {
    const ns = namespaceOf(k)
    const kubernetes = inDomain(ns, 'kubernetes.io') || inDomain(ns, 'k8s.io')
    const allowed = KUBELET_LABELS.includes(k) || KUBELET_LABEL_NAMESPACES.some((d) => inDomain(ns, d))
    return kubernetes && !allowed
  }).sort()
  if (refused.length) {
    throw new EmulatedFailure(`failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [${refused.join(' ')}]\n`
      + `--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (${KUBELET_LABEL_NAMESPACES.join(', ')}) or be in the specifically allowed set (${KUBELET_LABELS.join(', ')})`)
  }
  return labels
}
