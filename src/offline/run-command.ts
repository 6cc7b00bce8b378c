// Local child processes for the offline tools (apt-get, skopeo, dpkg-scanpackages, tar).
// Arguments go straight to execve, never through a shell.

import { spawn } from 'node:child_process'
import { BundleError } from './manifest-error.js'

export interface RunResult { stdout: string; stderr: string }

export async function runCommand(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return await new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout?.on('data', (b: Buffer) => out.push(b))
    child.stderr?.on('data', (b: Buffer) => err.push(b))
    child.on('error', (e) => reject(new BundleError(`cannot run ${cmd}: ${e.message}`, undefined, `install the Debian package that provides ${cmd}`)))
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = Buffer.concat(err).toString('utf8')
      if (code === 0) return resolvePromise({ stdout, stderr })
      const tail = stderr.trim().split('\n').slice(-3).join(' | ')
      reject(new BundleError(`${cmd} ${args.join(' ')} failed (exit ${code})${tail ? `: ${tail}` : ''}`))
    })
    if (child.stdin) {
      // A command may exit before reading its input; that is its exit status's business, not an EPIPE crash.
      child.stdin.on('error', () => undefined)
      child.stdin.end(opts.input)
    }
  })
}
