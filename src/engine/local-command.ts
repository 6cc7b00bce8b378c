// Commands kubeseed runs on the controller itself (apt-get, skopeo, tar, ip, mount, ssh-keygen, ...).
// Arguments go straight to execve, never through a shell. The caller names the error class its users see.

import { spawn } from 'node:child_process'
import { KubeseedError, type Where } from './errors.js'

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
}

export interface CommandOptions {
  input?: string
  timeoutMs?: number
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Shown after a failure, e.g. which package provides the command. */
  hint?: string
  /** The error class thrown (default KubeseedError). */
  error?: new (what: string, where?: Where, hint?: string) => KubeseedError
}

/** Runs a command and returns its exit code and output, whatever the code. */
export function runAny(cmd: string, args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const Failure = opts.error ?? KubeseedError
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      reject(new Failure(`cannot run ${cmd}: ${e.message}`, undefined, `install the Debian package that provides ${cmd}`))
    })
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
    })
    // A command may exit before reading its input; that is its exit status's business, not an EPIPE crash.
    child.stdin.on('error', () => undefined)
    child.stdin.end(opts.input ?? '')
  })
}

/** Runs a command and fails with its stderr tail unless it exits 0. */
export async function runChecked(cmd: string, args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  const r = await runAny(cmd, args, opts)
  if (r.code === 0) return r
  const tail = r.stderr.trim().split('\n').slice(-3).join(' | ')
  const Failure = opts.error ?? KubeseedError
  throw new Failure(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.code})${tail ? `: ${tail}` : ''}`, undefined, opts.hint)
}
