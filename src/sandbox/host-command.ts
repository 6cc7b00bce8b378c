// Commands the sandbox runs on the bastion itself (ip, mount, ssh-keygen, chroot...).
// Arguments go straight to execve, never through a shell.

import { spawn } from 'node:child_process'
import { SandboxError } from './sandbox-error.js'

export interface CommandResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command and returns its exit code and output, whatever the code. */
export function runAny(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : undefined
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      reject(new SandboxError(`cannot run ${cmd}: ${e.message}`, undefined, `install the Debian package that provides ${cmd}`))
    })
    child.on('close', (code) => {
      if (timer) clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') })
    })
    child.stdin.on('error', () => {})
    child.stdin.end(opts.input ?? '')
  })
}

/** Runs a command and fails with its stderr tail unless it exits 0. */
export async function run(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number; hint?: string } = {}): Promise<string> {
  const r = await runAny(cmd, args, opts)
  if (r.code === 0) return r.stdout
  const tail = r.stderr.trim().split('\n').slice(-3).join(' | ')
  throw new SandboxError(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.code})${tail ? `: ${tail}` : ''}`, undefined, opts.hint)
}
