// Waiting for a booted node: sshd must answer (with the host key we gave it) and systemd must have
// finished booting. A degraded boot is reported with the units that failed.

import { existsSync, readFileSync } from 'node:fs'
import { ConnectError } from '../engine/errors.js'
import { runAny } from './host-command.js'
import { isSameProcess } from './process-tree.js'
import { SandboxError } from './sandbox-error.js'
import { sshArgs } from './ssh.js'
import type { SshTarget } from './ssh.js'

export interface NodeReadiness {
  node: string
  status: 'running' | 'degraded'
  failedUnits: string[]
  /** Milliseconds from the call until the node answered as booted. */
  readyMs: number
}

function consoleTail(file: string): string {
  if (!existsSync(file)) return ''
  return readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n').slice(-3).join(' | ')
}

export async function waitForNode(node: string, target: SshTarget, watch: { pid: number; startTime?: number; consoleLog: string }, timeoutMs: number): Promise<NodeReadiness> {
  const started = Date.now()
  const deadline = started + timeoutMs
  let lastError = ''
  while (Date.now() < deadline) {
    if (!isSameProcess(watch.pid, watch.startTime)) {
      throw new SandboxError(`node exited while booting: ${consoleTail(watch.consoleLog)}`, { host: node }, `see ${watch.consoleLog}`)
    }
    const r = await runAny('ssh', sshArgs(target, { command: 'systemctl is-system-running --wait', connectTimeoutS: 3 }), { timeoutMs: Math.max(5_000, deadline - Date.now()) })
    const status = r.stdout.trim()
    if (r.code !== 255 && (status === 'running' || status === 'degraded')) {
      const failedUnits = status === 'degraded' ? await failedUnitsOf(target) : []
      return { node, status, failedUnits, readyMs: Date.now() - started }
    }
    if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/.test(r.stderr)) {
      throw new ConnectError('host key does not match the one the sandbox generated', { host: node }, false, `the node at ${target.address} is not this sandbox's: check for another machine on the subnet`)
    }
    lastError = r.code === 255 ? r.stderr.trim() : r.code === null ? 'sshd answers but systemd is still booting' : `systemd says "${status}"`
    if (r.code !== 255 && status !== '') {
      throw new SandboxError(`node did not boot: systemd says "${status}"`, { host: node }, `see ${watch.consoleLog}`)
    }
    await new Promise((res) => setTimeout(res, 300))
  }
  throw new ConnectError(`node did not answer over SSH within ${Math.round(timeoutMs / 1000)} s${lastError ? `: ${lastError}` : ''}`, { host: node }, true, `see ${watch.consoleLog}`)
}

async function failedUnitsOf(target: SshTarget): Promise<string[]> {
  const r = await runAny('ssh', sshArgs(target, { command: 'systemctl list-units --failed --plain --no-legend --no-pager' }))
  return r.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0]).filter(Boolean)
}
