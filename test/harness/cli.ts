// Runs the built kubeseed CLI as a user would, capturing output and exit code.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../src/engine/paths.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli.js')

export function kubeseed(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number; cwd?: string } = {}): CliResult {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8', env: { ...process.env, ...opts.env }, input: opts.input, cwd: opts.cwd, timeout: opts.timeoutMs ?? 600_000,
    maxBuffer: 64 * 1024 * 1024,
  })
  if (r.error) throw r.error
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/**
 * The same, without blocking this process: needed when this process serves something the run uses (the
 * offline mirror's file server in e2e tests), which a synchronous run would starve. `onSpawn` gets the process
 * (to signal it). `noTerminal` runs it in a session of its own, without a controlling terminal, as under CI.
 */
export function kubeseedAsync(args: string[], opts: { onSpawn?: (child: ChildProcess) => void; noTerminal?: boolean } = {}): Promise<CliResult> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`)
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: opts.noTerminal === true })
  opts.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => { stdout += b.toString() })
  child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

export interface Recap {
  type: 'recap'
  ok: boolean
  hosts: Record<string, { ok: number; changed: number; failed: number; skipped: number; unreachable: boolean; round_trips: number }>
  failures: Record<string, string>
  /** Hosts the run did anything on beyond facts. */
  touched: string[]
}

/** The NDJSON events of a --output json run, and its recap (the last line). */
export function events(r: CliResult): { events: Array<Record<string, unknown>>; recap: Recap } {
  const lines = r.stdout.trim().split('\n').filter(Boolean)
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  const recap = parsed[parsed.length - 1] as unknown as Recap
  if (recap?.type !== 'recap') throw new Error(`no recap line in output:\n${r.stdout}\n${r.stderr}`)
  return { events: parsed, recap }
}

export function totalChanged(recap: Recap): number {
  return Object.values(recap.hosts).reduce((n, h) => n + h.changed, 0)
}
