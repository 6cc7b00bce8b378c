// Logging in to a node with the OpenSSH client, the sandbox's key and its known_hosts (strict checking).

import { spawn } from 'node:child_process'
import { UsageError } from '../engine/errors.js'
import { SandboxError } from './sandbox-error.js'
import { findStateDir, readState, statePaths } from './state.js'
import type { SandboxState } from './state.js'
import { DEFAULT_NAME } from './defaults.js'

export interface SshTarget {
  address: string
  user: string
  privateKey: string
  knownHosts: string
}

export function sshArgs(target: SshTarget, opts: { command?: string; batch?: boolean; connectTimeoutS?: number } = {}): string[] {
  return [
    '-F', '/dev/null',
    '-i', target.privateKey,
    '-o', 'IdentitiesOnly=yes',
    '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${target.knownHosts}`,
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', `ConnectTimeout=${opts.connectTimeoutS ?? 10}`,
    '-o', 'LogLevel=ERROR',
    ...((opts.batch ?? opts.command !== undefined) ? ['-o', 'BatchMode=yes'] : []),
    `${target.user}@${target.address}`,
    ...(opts.command !== undefined ? ['--', opts.command] : []),
  ]
}

export function sshTarget(state: SandboxState, node: string, user = 'root'): SshTarget {
  const found = state.nodes.find((n) => n.name === node || n.machine === node)
  if (!found) {
    throw new UsageError(`sandbox "${state.name}" has no node "${node}"`, undefined, `choose one of ${state.nodes.map((n) => n.name).join(', ')}`)
  }
  const paths = statePaths(state.stateDir)
  return { address: found.address, user, privateKey: paths.privateKey, knownHosts: paths.knownHosts }
}

export function loadSandbox(name: string): SandboxState {
  const dir = findStateDir(name)
  const state = dir === undefined ? undefined : readState(dir)
  if (!state) throw new UsageError(`no sandbox named "${name}"`, undefined, `bring it up with \`kubeseed sandbox up --name ${name}\``)
  return state
}

export interface SshResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface SandboxSshOptions {
  name?: string
  node: string
  /** A shell command line run on the node; without one, an interactive login. */
  command?: string
  user?: string
  /** 'inherit' hands the terminal to ssh (the CLI); 'pipe' captures output (tests, scripts). */
  stdio?: 'inherit' | 'pipe'
}

export function sandboxSsh(opts: SandboxSshOptions): Promise<SshResult> {
  const state = loadSandbox(opts.name ?? DEFAULT_NAME)
  const args = sshArgs(sshTarget(state, opts.node, opts.user), { command: opts.command })
  const piped = opts.stdio === 'pipe'
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: piped ? ['ignore', 'pipe', 'pipe'] : 'inherit' })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (b: Buffer) => out.push(b))
    child.stderr?.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => reject(new SandboxError(`cannot run ssh: ${e.message}`, { host: opts.node }, 'install the Debian package openssh-client')))
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }))
  })
}
