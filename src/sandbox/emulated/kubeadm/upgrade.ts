// `kubeadm upgrade plan | apply | node` with kubeadm's version-skew policy.
import { dump, load } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { hostFileExists, readHostFile, writeHostFile } from '../host/paths.js'
import { checkUpgradeTarget, compareVersions, formatVersion, parseKubeVersion, type KubeVersion } from '../versions.js'
import type { ApiClient } from '../client/api-client.js'
import { clusterModel } from './config-model.js'
import { clientFor, createOrUpdate, waitFor } from './cluster-api.js'
import { KUBECONFIG_DIR } from './kubeconfigs.js'
import { CONTROL_PLANE_COMPONENTS, MANIFESTS_DIR } from './static-pods.js'
import { startApiServer } from './services.js'
import { KUBELET_CONFIG } from './kubelet-files.js'

const ADMIN = `${KUBECONFIG_DIR}/admin.conf`

async function clusterState(admin: ApiClient, kubeadmVersion: KubeVersion) {
  const v = await admin.get<{ gitVersion: string }>('/version')
  const apiVersion = parseKubeVersion(v.gitVersion)
  if (!apiVersion) throw new EmulatedFailure(`couldn't parse the API server version "${v.gitVersion}"`)
  const cm = await admin.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-system/configmaps/kubeadm-config')
  const raw = (load(cm.data?.ClusterConfiguration ?? '') ?? {}) as Record<string, unknown>
  const nodes = await admin.get<{ items: Array<{ metadata: { name: string }; status?: { nodeInfo?: { kubeletVersion?: string } } }> }>('/api/v1/nodes')
  const kubelets = nodes.items.map((n) => ({ name: n.metadata.name, version: parseKubeVersion(n.status?.nodeInfo?.kubeletVersion ?? '') }))
  return { apiVersion, raw, model: clusterModel(raw, String(raw.apiVersion ?? 'kubeadm.k8s.io/v1beta4'), kubeadmVersion), kubelets }
}

function requireControlPlane(): void {
  if (!hostFileExists(`${MANIFESTS_DIR}/kube-apiserver.yaml`) || !hostFileExists(ADMIN)) {
    throw new EmulatedFailure(`[upgrade/init config] FATAL: this command must run on a control plane node: couldn't find ${MANIFESTS_DIR}/kube-apiserver.yaml or ${ADMIN}`)
  }
}

export async function upgradePlan(kubeadmVersion: KubeVersion, target: string | undefined, log: (s: string) => void): Promise<void> {
  requireControlPlane()
  const admin = clientFor(ADMIN)
  const s = await clusterState(admin, kubeadmVersion)
  const to = target ? parseKubeVersion(target) : kubeadmVersion
  if (!to) throw new EmulatedFailure(`couldn't parse version "${target}"`)
  log('[preflight] Running pre-flight checks.')
  log(`[upgrade/config] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...`)
  log(`[upgrade] Running cluster health checks`)
  log(`[upgrade] Fetching available versions to upgrade to`)
  log(`[upgrade/versions] Cluster version: ${formatVersion(s.apiVersion)}`)
  log(`[upgrade/versions] kubeadm version: ${formatVersion(kubeadmVersion)}`)
  const errors = checkUpgradeTarget(s.apiVersion, to, kubeadmVersion)
  if (compareVersions(to, s.apiVersion) <= 0 || errors.length) {
    for (const e of errors) log(`[upgrade/versions] ${e}`)
    log('\nAwesome, you\'re up-to-date! Enjoy!')
    return
  }
  log('\nComponents that must be upgraded manually after you have upgraded the control plane with \'kubeadm upgrade apply\':')
  log('COMPONENT   NODE      CURRENT   TARGET')
  for (const k of s.kubelets) log(`kubelet     ${k.name}   ${k.version ? formatVersion(k.version) : '<unknown>'}   ${formatVersion(to)}`)
  log('\nUpgrade to the latest version in the stable series:\n')
  log('COMPONENT                 NODE      CURRENT    TARGET')
  for (const c of CONTROL_PLANE_COMPONENTS) log(`${c.padEnd(25)} -         ${formatVersion(s.apiVersion)}    ${formatVersion(to)}`)
  log(`\nYou can now apply the upgrade by executing the following command:\n\n\tkubeadm upgrade apply ${formatVersion(to)}\n`)
}

function rewriteManifestVersions(version: string): void {
  for (const c of CONTROL_PLANE_COMPONENTS) {
    const path = `${MANIFESTS_DIR}/${c}.yaml`
    const text = readHostFile(path)
    if (!text) continue
    const pod = load(text) as { spec: { containers: Array<{ image: string }> } }
    for (const ctr of pod.spec.containers) ctr.image = ctr.image.replace(/:[^:/]+$/, `:${version}`)
    writeHostFile(path, dump(pod, { lineWidth: -1 }), 0o600)
  }
}

async function restartAndWait(admin: ApiClient, version: string, log: (s: string) => void): Promise<void> {
  log('[upgrade/staticpods] Restarting the control plane components')
  startApiServer(log)
  await waitFor('[upgrade/staticpods] the API server did not come back', 4 * 60_000, async () => {
    const v = await admin.get<{ gitVersion: string }>('/version')
    return v.gitVersion === version ? true : undefined
  })
}

export async function upgradeApply(kubeadmVersion: KubeVersion, target: string | undefined, force: boolean, log: (s: string) => void, dryRun = false): Promise<void> {
  if (!target) throw new EmulatedFailure('missing one or more required arguments. Required arguments: [version]')
  if (!force) throw new EmulatedFailure('[upgrade/confirm] won\'t proceed; the user didn\'t answer (Y|n) in order to continue: pass --yes (-y) to upgrade without a prompt')
  const to = parseKubeVersion(target)
  if (!to) throw new EmulatedFailure(`couldn't parse version "${target}"`)
  requireControlPlane()
  const admin = clientFor(ADMIN)
  log('[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...')
  const s = await clusterState(admin, kubeadmVersion)
  log(`[upgrade/version] You have chosen to change the cluster version to "${formatVersion(to)}"`)
  log(`[upgrade/versions] Cluster version: ${formatVersion(s.apiVersion)}`)
  log(`[upgrade/versions] kubeadm version: ${formatVersion(kubeadmVersion)}`)
  const problems = checkUpgradeTarget(s.apiVersion, to, kubeadmVersion)
  const newerKubelets = s.kubelets.filter((k) => k.version && (k.version.minor > to.minor))
  for (const k of newerKubelets) problems.push(`the kubelet on node "${k.name}" (${formatVersion(k.version!)}) is newer than the target control plane version ${formatVersion(to)}`)
  const tooOld = s.kubelets.filter((k) => k.version && k.version.minor < to.minor - 3)
  if (tooOld.length) problems.push(`There are kubelets in this cluster that are too old that have these versions [${tooOld.map((k) => formatVersion(k.version!)).join(' ')}]`)
  if (problems.length) {
    throw new EmulatedFailure(`[upgrade/version] FATAL: the version argument is invalid due to these errors:\n\n${problems.map((p) => `\t- ${p}`).join('\n')}\n\nCan be bypassed if you pass the --force flag`)
  }
  const version = formatVersion(to)
  log(`[upgrade/apply] Upgrading your Static Pod-hosted control plane to version "${version}"...`)
  if (dryRun) {
    log(`[dryrun] Would write the control plane manifests in "${MANIFESTS_DIR}" with image tag "${version}", restart them and update the "kubeadm-config" ConfigMap`)
    log('[upgrade/successful] Finished dryrunning successfully!')
    return
  }
  rewriteManifestVersions(version)
  await restartAndWait(admin, version, log)
  await createOrUpdate(admin, 'configmaps', {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kubeadm-config', namespace: 'kube-system' },
    data: { ClusterConfiguration: dump({ ...s.raw, kubernetesVersion: version }, { lineWidth: -1 }) },
  })
  log(`[upgrade/upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace`)
  log(`\n[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "${version}".\n`)
  log('[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order.')
}

export async function upgradeNode(kubeadmVersion: KubeVersion, log: (s: string) => void, dryRun = false): Promise<void> {
  const isControlPlane = hostFileExists(`${MANIFESTS_DIR}/kube-apiserver.yaml`)
  const admin = clientFor(isControlPlane ? ADMIN : `${KUBECONFIG_DIR}/kubelet.conf`)
  log('[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...')
  const cm = await admin.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-system/configmaps/kubeadm-config')
  const raw = (load(cm.data?.ClusterConfiguration ?? '') ?? {}) as Record<string, unknown>
  const clusterVersion = parseKubeVersion(String(raw.kubernetesVersion ?? ''))
  if (!clusterVersion) throw new EmulatedFailure('couldn\'t read the cluster version from the kubeadm-config ConfigMap')
  if (compareVersions(clusterVersion, kubeadmVersion) > 0) {
    throw new EmulatedFailure(`the cluster version ${formatVersion(clusterVersion)} is newer than this kubeadm ${formatVersion(kubeadmVersion)}: upgrade kubeadm on this node first`)
  }
  // The version-skew policy: a node (and its kubelet configuration) never goes past the control plane, so
  // `upgrade node` with a kubeadm of a newer minor waits for `kubeadm upgrade apply` on the first control plane.
  if (kubeadmVersion.minor > clusterVersion.minor) {
    throw new EmulatedFailure(`the control plane is still at ${formatVersion(clusterVersion)} and this kubeadm is ${formatVersion(kubeadmVersion)}: run "kubeadm upgrade apply ${formatVersion(kubeadmVersion)}" on the first control plane before upgrading this node`)
  }
  if (dryRun) {
    log(`[dryrun] Would upgrade ${isControlPlane ? 'the control plane instance and ' : ''}the kubelet configuration on this node to "${formatVersion(clusterVersion)}"`)
    log('[upgrade/successful] Finished dryrunning successfully!')
    return
  }
  if (isControlPlane) {
    log(`[upgrade/staticpods] Upgrading the control plane instance on this node to "${formatVersion(clusterVersion)}"`)
    rewriteManifestVersions(formatVersion(clusterVersion))
    await restartAndWait(admin, formatVersion(clusterVersion), log)
  } else {
    log('[upgrade] Skipping phase. Not a control plane node.')
  }
  const kcm = await admin.get<{ data?: Record<string, string> }>('/api/v1/namespaces/kube-system/configmaps/kubelet-config')
  if (kcm.data?.kubelet) writeHostFile(KUBELET_CONFIG, kcm.data.kubelet, 0o644)
  log(`[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!`)
  log('[upgrade] The configuration for this node was successfully upgraded!')
  log('[upgrade] Now you should go ahead and upgrade the kubelet package using your package manager.')
}
