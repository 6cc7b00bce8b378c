// The kubelet's command-line flags (cmd/kubelet/app/options), as data. Flags that mirror a
// KubeletConfiguration field are accepted like the real (deprecated) ones.
import type { FlagSpec } from '../flags.js'

const strings = [
  'config', 'kubeconfig', 'bootstrap-kubeconfig', 'cert-dir', 'root-dir', 'hostname-override', 'node-ip',
  'container-runtime-endpoint', 'image-service-endpoint', 'pod-infra-container-image', 'provider-id', 'cloud-provider',
  'cloud-config', 'node-labels', 'register-with-taints', 'runtime-cgroups', 'kubelet-cgroups', 'system-cgroups',
  'cgroup-root', 'cgroup-driver', 'address', 'cluster-domain', 'cluster-dns', 'resolv-conf', 'pod-manifest-path',
  'volume-plugin-dir', 'seccomp-default', 'feature-gates', 'kube-reserved', 'system-reserved', 'eviction-hard',
  'eviction-soft', 'tls-cert-file', 'tls-private-key-file', 'tls-min-version', 'tls-cipher-suites', 'client-ca-file',
  'authorization-mode', 'healthz-bind-address', 'lock-file', 'image-credential-provider-config',
  'image-credential-provider-bin-dir', 'log-file', 'logging-format', 'vmodule', 'node-status-update-frequency',
  'runtime-request-timeout', 'container-log-max-size', 'pod-cidr', 'enforce-node-allocatable', 'reserved-cpus',
  'kube-reserved-cgroup', 'system-reserved-cgroup', 'image-gc-high-threshold', 'image-gc-low-threshold',
  'eviction-minimum-reclaim', 'eviction-pressure-transition-period', 'topology-manager-policy', 'cpu-manager-policy',
]
const ints = ['v', 'port', 'read-only-port', 'healthz-port', 'max-pods', 'oom-score-adj', 'node-status-max-images', 'max-open-files']
const bools = ['fail-swap-on', 'rotate-certificates', 'rotate-server-certificates', 'anonymous-auth', 'register-node',
  'exit-on-lock-contention', 'cgroups-per-qos', 'serialize-image-pulls', 'protect-kernel-defaults', 'make-iptables-util-chains',
  'help', 'version', 'logtostderr', 'alsologtostderr', 'enable-server', 'kernel-memcg-notification', 'localstorage-capacity-isolation']

export const KUBELET_FLAGS: FlagSpec[] = [
  ...strings.map((name) => ({ name, kind: 'string' as const })),
  ...ints.map((name) => ({ name, kind: 'int' as const })),
  ...bools.map((name) => ({ name, kind: 'bool' as const, ...(name === 'help' ? { short: 'h' } : {}) })),
]

/** Flags removed from the kubelet: using them is "unknown flag", as it is for the real binary. */
export const REMOVED_KUBELET_FLAGS = ['container-runtime', 'network-plugin', 'cni-bin-dir', 'cni-conf-dir', 'docker-endpoint', 'experimental-allocatable-ignore-eviction']
