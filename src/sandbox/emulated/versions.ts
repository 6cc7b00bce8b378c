// Kubernetes version facts the emulated binaries enforce: parsing, per-minor image tags
// (kubeadm's constants.go) and the version-skew policy.

export interface KubeVersion {
  major: number
  minor: number
  patch: number
  pre?: string
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

export function parseKubeVersion(text: string): KubeVersion | undefined {
  const m = SEMVER.exec(text.trim())
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), ...(m[4] ? { pre: m[4] } : {}) }
}

export function formatVersion(v: KubeVersion): string {
  return `v${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}`
}

export function compareVersions(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch || (a.pre ? (b.pre ? a.pre.localeCompare(b.pre) : -1) : b.pre ? 1 : 0)
}

/** Image tags kubeadm deploys per minor (cmd/kubeadm/app/constants/constants.go of each release branch). */
export const imageTagsByMinor: Record<number, { etcd: string; coredns: string; pause: string }> = {
  29: { etcd: '3.5.16-0', coredns: 'v1.11.1', pause: '3.9' },
  30: { etcd: '3.5.21-0', coredns: 'v1.11.3', pause: '3.9' },
  31: { etcd: '3.5.21-0', coredns: 'v1.11.3', pause: '3.10' },
  32: { etcd: '3.5.21-0', coredns: 'v1.11.3', pause: '3.10' },
  33: { etcd: '3.5.21-0', coredns: 'v1.12.0', pause: '3.10' },
  34: { etcd: '3.6.4-0', coredns: 'v1.12.1', pause: '3.10.1' },
  35: { etcd: '3.6.6-0', coredns: 'v1.13.1', pause: '3.10.1' },
  36: { etcd: '3.6.8-0', coredns: 'v1.14.2', pause: '3.10.2' },
}

export const supportedMinors = Object.keys(imageTagsByMinor).map(Number)

/**
 * kubeadm vN deploys control planes of minor N or N-1
 * (constants.MinimumControlPlaneVersion); a newer control plane is only warned about.
 */
export function checkControlPlaneVersion(kubeadm: KubeVersion, target: KubeVersion): { error?: string; warning?: string } {
  const minimum = { major: kubeadm.major, minor: kubeadm.minor - 1, patch: 0 }
  if (compareVersions(target, minimum) < 0) {
    return {
      error: `this version of kubeadm only supports deploying clusters with the control plane version >= ${formatVersion(minimum)}. Current version: ${formatVersion(target)}`,
    }
  }
  if (target.minor > kubeadm.minor) {
    return {
      warning: `Kubernetes version is greater than kubeadm version. Please consider to upgrade kubeadm. Kubernetes version: ${formatVersion(target)}. Kubeadm version: ${kubeadm.major}.${kubeadm.minor}.x`,
    }
  }
  return {}
}

/** The KubeletVersion preflight check: kubelet at most 3 minors older than kubeadm, never newer than the control plane. */
export function checkKubeletVersion(kubelet: KubeVersion, kubeadm: KubeVersion, controlPlane: KubeVersion): string | undefined {
  const minimum = { major: kubeadm.major, minor: kubeadm.minor - 3, patch: 0 }
  if (compareVersions(kubelet, minimum) < 0) {
    return `Kubelet version "${formatVersion(kubelet)}" is lower than kubeadm can support. Please upgrade kubelet`
  }
  if (kubelet.major > controlPlane.major || kubelet.minor > controlPlane.minor) {
    return `the kubelet version is higher than the control plane version. This is not a supported version skew and may lead to a malfunctional cluster. Kubelet version: "${formatVersion(kubelet)}" Control plane version: "${formatVersion(controlPlane)}"`
  }
  return undefined
}

/**
 * `kubeadm upgrade apply` version policy (phases/upgrade/policy.go): one minor at a time, never
 * down a minor, and the kubeadm binary must be of the target minor.
 */
export function checkUpgradeTarget(cluster: KubeVersion, target: KubeVersion, kubeadm: KubeVersion): string[] {
  const errors: string[] = []
  const t = formatVersion(target)
  if (target.minor < cluster.minor) {
    errors.push(`Specified version to upgrade to "${t}" is lower than the minimum supported version "${formatVersion(cluster)}". Please specify a higher version to upgrade to`)
  }
  if (target.minor > cluster.minor + 1) {
    errors.push(`Specified version to upgrade to "${t}" is too high; kubeadm can upgrade only 1 minor version at a time`)
  }
  if (compareVersions(target, kubeadm) > 0) {
    errors.push(`Specified version to upgrade to "${t}" is higher than the kubeadm version "${formatVersion(kubeadm)}". Upgrade kubeadm first using the tool you used to install kubeadm`)
  }
  if (kubeadm.minor > target.minor + 1) {
    errors.push(`Kubeadm version "${formatVersion(kubeadm)}" can only be used to upgrade to Kubernetes version "v${kubeadm.major}.${kubeadm.minor}"`)
  }
  return errors
}
