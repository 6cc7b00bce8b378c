// Types and forms of the kubespray variables that end up in kubeadm's configuration or pick the release:
// a wrong one (a port that is not a number, a proxy mode kubeadm does not know, a kube_version that is not a
// version) is caught here, naming the variable and where it is set, instead of failing kubeadm on a node.

export interface ValueRule {
  check: (v: unknown) => boolean
  expect: string
}

const int = (min: number, max: number): ValueRule => ({
  check: (v) => (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) || (typeof v === 'string' && /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max),
  expect: `a whole number from ${min} to ${max}`,
})
const oneOf = (...choices: string[]): ValueRule => ({ check: (v) => typeof v === 'string' && choices.includes(v), expect: `one of ${choices.join(', ')}` })
const bool: ValueRule = { check: (v) => typeof v === 'boolean', expect: 'true or false' }
const durationRule: ValueRule = { check: (v) => typeof v === 'string' && /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(v), expect: 'a Go duration such as 5m0s' }

export const KUBE_VERSION = /^v?\d+\.\d+(\.\d+)?$/

export const KUBESPRAY_VALUE_RULES: Record<string, ValueRule> = {
  kube_version: { check: (v) => typeof v === 'string' && KUBE_VERSION.test(v), expect: 'a Kubernetes version such as v1.31.4' },
  kube_apiserver_port: int(1, 65535),
  kube_apiserver_node_port_range: { check: (v) => typeof v === 'string' && /^\d+-\d+$/.test(v), expect: 'a port range such as 30000-32767' },
  kube_network_node_prefix: int(1, 32),
  kube_network_node_prefix_ipv6: int(1, 128),
  kube_proxy_mode: oneOf('iptables', 'ipvs', 'nftables'),
  kube_proxy_strict_arp: bool,
  kubelet_max_pods: int(1, 10000),
  kube_kubeadm_apiserver_extra_args: { check: (v) => !!v && typeof v === 'object' && !Array.isArray(v), expect: 'a mapping of flag names to values' },
  kubelet_cgroup_driver: oneOf('systemd', 'cgroupfs'),
  container_manager: oneOf('containerd', 'crio', 'docker'),
  etcd_deployment_type: oneOf('host', 'kubeadm', 'docker'),
  kube_network_plugin: oneOf('calico', 'cilium', 'flannel', 'kube-ovn', 'kube-router', 'macvlan', 'custom_cni', 'cni', 'none'),
  kube_token_ttl: durationRule,
}

/** The rule a value breaks, or undefined when it fits (or is a template, judged when used). */
export function valueProblem(name: string, value: unknown): string | undefined {
  const rule = KUBESPRAY_VALUE_RULES[name]
  if (!rule || value === undefined || value === null) return undefined
  if (typeof value === 'string' && value.includes('{{')) return undefined
  return rule.check(value) ? undefined : rule.expect
}
