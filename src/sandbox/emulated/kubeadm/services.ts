// Starting the processes kubeadm relies on. With systemd (sandbox nodes) the API server emulator
// is a unit and the kubelet is restarted through systemctl; without it (tests) the API server
// emulator runs as a detached child whose pid is recorded for `kubeadm reset`.
import { execFileSync, spawn } from 'node:child_process'
import { openSync, realpathSync } from 'node:fs'
import { hostPath, readHostFile, removeHostPath, writeHostFile, makeHostDir } from '../host/paths.js'
import { systemdRunning } from './preflight.js'

export const APISERVER_UNIT = 'kube-apiserver-emulator.service'
export const APISERVER_PID_FILE = '/run/kube-apiserver-emulator.pid'
export const APISERVER_LOG = '/var/log/kube-apiserver-emulator.log'

function selfCommand(): string[] {
  return [process.execPath, realpathSync(process.argv[1]!)]
}

export function startApiServer(log: (s: string) => void): void {
  const [node, self] = selfCommand() as [string, string]
  if (systemdRunning()) {
    writeHostFile(`/etc/systemd/system/${APISERVER_UNIT}`, [
      '[Unit]',
      'Description=kube-apiserver (kubeseed sandbox emulation, runs the kube-apiserver static Pod)',
      'After=network-online.target',
      '',
      '[Service]',
      `ExecStart=${node} ${self} sandbox-apiserver`,
      'Restart=always',
      'RestartSec=2',
      '',
      '[Install]',
      'WantedBy=multi-user.target',
      '',
    ].join('\n'))
    execFileSync('systemctl', ['daemon-reload'])
    execFileSync('systemctl', ['enable', APISERVER_UNIT], { stdio: 'ignore' })
    execFileSync('systemctl', ['restart', APISERVER_UNIT])
    return
  }
  stopApiServer()
  makeHostDir('/var/log')
  const out = openSync(hostPath(APISERVER_LOG), 'a')
  const child = spawn(node, [self, 'sandbox-apiserver'], { detached: true, stdio: ['ignore', out, out], env: process.env })
  child.unref()
  writeHostFile(APISERVER_PID_FILE, `${child.pid}\n`)
  log(`[control-plane] no systemd: started the API server emulator as process ${child.pid}`)
}

export function stopApiServer(): void {
  if (systemdRunning()) {
    try {
      execFileSync('systemctl', ['disable', '--now', APISERVER_UNIT], { stdio: 'ignore' })
    } catch {
      // Not installed: nothing to stop.
    }
    removeHostPath(`/etc/systemd/system/${APISERVER_UNIT}`)
    return
  }
  const pid = Number(readHostFile(APISERVER_PID_FILE)?.trim())
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGTERM')
    } catch {
      // Already gone.
    }
  }
  removeHostPath(APISERVER_PID_FILE)
}

/** `systemctl restart kubelet`, as kubeadm's kubelet-start phase does. */
export function restartKubelet(log: (s: string) => void): void {
  if (!systemdRunning()) {
    log('[kubelet-start] no systemd on this host: the kubelet must be started by its supervisor')
    return
  }
  log('[kubelet-start] Starting the kubelet')
  try {
    execFileSync('systemctl', ['daemon-reload'], { stdio: 'ignore' })
    execFileSync('systemctl', ['restart', 'kubelet'], { stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (e) {
    log(`[kubelet-start] WARNING: unable to start the kubelet service: [${String((e as { stderr?: Buffer }).stderr ?? e).trim()}]`)
    log('[kubelet-start] Please ensure kubelet is reloaded and running manually.')
  }
}

export function stopKubelet(): void {
  if (!systemdRunning()) return
  try {
    execFileSync('systemctl', ['stop', 'kubelet'], { stdio: 'ignore' })
  } catch {
    // Not running.
  }
}
