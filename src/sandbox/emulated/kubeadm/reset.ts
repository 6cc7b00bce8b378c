// `kubeadm reset`: stop the kubelet and API server, remove what init/join wrote.
import { EmulatedFailure } from '../failure.js'
import { removeHostPath, readHostFile } from '../host/paths.js'
import { load } from 'js-yaml'
import { stopApiServer, stopKubelet } from './services.js'

export const RESET_PATHS = [
  '/etc/kubernetes/manifests', '/etc/kubernetes/admin.conf', '/etc/kubernetes/super-admin.conf',
  '/etc/kubernetes/kubelet.conf', '/etc/kubernetes/bootstrap-kubelet.conf', '/etc/kubernetes/controller-manager.conf',
  '/etc/kubernetes/scheduler.conf', '/etc/kubernetes/pki', '/var/lib/kubelet', '/var/lib/kube-apiserver-emulator',
  '/etc/kubernetes/tmp',
]

/** With dryRun, say what would be done, as kubeadm's dry run does, and change nothing. */
export function runReset(force: boolean, log: (s: string) => void, dryRun = false): void {
  if (!force) {
    throw new EmulatedFailure('error execution phase preflight: won\'t proceed; the user didn\'t answer (Y|n) in order to continue: pass --force (-f) to reset without a prompt')
  }
  log('[preflight] Running pre-flight checks')
  if (dryRun) {
    log('[dryrun] Would stop the kubelet service')
    log('[dryrun] Would unmount mounted directories in "/var/lib/kubelet"')
    log(`[dryrun] Would delete contents of directories: [${RESET_PATHS.filter((p) => !p.endsWith('.conf')).join(' ')}]`)
    log(`[dryrun] Would delete files: [${RESET_PATHS.filter((p) => p.endsWith('.conf')).join(' ')}]`)
    return
  }
  const etcdManifest = readHostFile('/etc/kubernetes/manifests/etcd.yaml')
  let etcdDataDir: string | undefined
  if (etcdManifest) {
    const pod = load(etcdManifest) as { spec?: { containers?: Array<{ command?: string[] }> } }
    etcdDataDir = pod.spec?.containers?.[0]?.command?.find((a) => a.startsWith('--data-dir='))?.slice('--data-dir='.length)
  }
  log('[reset] Stopping the kubelet service')
  stopKubelet()
  stopApiServer()
  log('[reset] Unmounting mounted directories in "/var/lib/kubelet"')
  if (etcdDataDir) {
    log(`[reset] Deleting contents of the etcd data directory: ${etcdDataDir}`)
    removeHostPath(etcdDataDir)
  }
  log(`[reset] Deleting contents of directories: [${RESET_PATHS.filter((p) => !p.endsWith('.conf')).join(' ')}]`)
  log(`[reset] Deleting files: [${RESET_PATHS.filter((p) => p.endsWith('.conf')).join(' ')}]`)
  for (const p of RESET_PATHS) removeHostPath(p)
  log('\nThe reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d\n')
  log('The reset process does not reset or clean up iptables rules or IPVS tables.')
}
