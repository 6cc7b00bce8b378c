// A real OCI registry (Debian's docker-registry, the CNCF distribution) run as a child process of kubeseed.

import { spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { dump } from 'js-yaml'
import { BundleError } from './manifest-error.js'

export interface Registry { address: string; pid: number; stop(): Promise<void> }

export interface RegistryOptions {
  /** Directory for the config file and image storage. */
  stateDir: string
  host: string
  port: number
  binary?: string
  /** How long to wait for /v2/ to answer. */
  readyTimeoutMs?: number
}

export async function startRegistry(opts: RegistryOptions): Promise<Registry> {
  const storage = join(opts.stateDir, 'registry')
  await mkdir(storage, { recursive: true })
  const address = `${opts.host}:${opts.port}`
  const config = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: storage }, delete: { enabled: false } },
    http: { addr: address },
  }
  const configPath = join(opts.stateDir, 'registry.yml')
  await writeFile(configPath, dump(config))
  const binary = opts.binary ?? '/usr/bin/docker-registry'
  const child = spawn(binary, ['serve', configPath], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (b: Buffer) => { stderr = (stderr + b.toString()).slice(-4000) })
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const failed = new Promise<never>((_, reject) => child.once('error', (e) =>
    reject(new BundleError(`cannot start ${binary}: ${e.message}`, undefined, 'install the Debian package docker-registry'))))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 20000)
  for (;;) {
    if (child.exitCode !== null) {
      throw new BundleError(`docker-registry exited (code ${child.exitCode}) before answering on ${address}: ${lastLine(stderr)}`,
        undefined, `is port ${opts.port} on ${opts.host} already in use?`)
    }
    const ok = await Promise.race([ping(`http://${address}/v2/`), failed])
    if (ok) break
    if (Date.now() > deadline) {
      await stop()
      throw new BundleError(`docker-registry did not answer on http://${address}/v2/ in time: ${lastLine(stderr)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  return { address, pid: child.pid as number, stop }
}

function lastLine(text: string): string {
  return text.trim().split('\n').slice(-1)[0] ?? ''
}

async function ping(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
    await res.arrayBuffer()
    return res.status === 200
  } catch {
    return false
  }
}
