// kubeadm's preflight checks, with the same names (for --ignore-preflight-errors) and messages.
import { execFileSync } from 'node:child_process'
import { cpus, totalmem } from 'node:os'
import { createServer } from 'node:net'
import { readdirSync } from 'node:fs'
import { request } from 'node:https'
import { EmulatedFailure } from '../failure.js'
import { hostFileExists, hostPath, readHostFile } from '../host/paths.js'
import { listImageTags, pullImage, runtimeVersion } from '../cri/client.js'
import { checkKubeletVersion, parseKubeVersion, type KubeVersion } from '../versions.js'

export interface CheckResult {
  warnings: string[]
  errors: string[]
}

export interface Check {
  name: string
  run: () => Promise<CheckResult> | CheckResult
}

const ok = (): CheckResult => ({ warnings: [], errors: [] })
const err = (m: string): CheckResult => ({ warnings: [], errors: [m] })
const warn = (m: string): CheckResult => ({ warnings: [m], errors: [] })

export const checkPrivilegedUser = (): Check => ({
  name: 'IsPrivilegedUser',
  run: () => (process.getuid?.() === 0 ? ok() : err('user is not running as root')),
})

export const checkNumCPU = (): Check => ({
  name: 'NumCPU',
  run: () => {
    const n = cpus().length
    return n < 2 ? err(`the number of available CPUs ${n} is less than the required 2`) : ok()
  },
})

export const checkMem = (): Check => ({
  name: 'Mem',
  run: () => {
    const mb = Math.floor(totalmem() / 1024 / 1024)
    return mb < 1700 ? err(`the system RAM (${mb} MB) is less than the minimum 1700 MB`) : ok()
  },
})

/** Swap: kubeadm only warns, but the kubelet refuses to start with failSwapOn (the default). */
export const checkSwap = (failSwapOn: boolean): Check => ({
  name: 'Swap',
  run: () => {
    const swaps = (readHostFile('/proc/swaps') ?? '').trim().split('\n').filter(Boolean)
    if (swaps.length <= 1) return ok()
    return failSwapOn
      ? err('running with swap on is not supported. Please disable swap or set the kubelet\'s failSwapOn to false')
      : warn('swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node')
  },
})

export const checkFileContent = (path: string, want: string): Check => ({
  name: `FileContent-${path.replace(/\//g, '-')}`,
  run: () => {
    const text = readHostFile(path)
    if (text === undefined) return err(`${path} does not exist`)
    return text.trim() === want ? ok() : err(`${path} contents are not set to ${want}`)
  },
})

export const checkFileAvailable = (path: string): Check => ({
  name: `FileAvailable-${path.replace(/\//g, '-')}`,
  run: () => (hostFileExists(path) ? err(`${path} already exists`) : ok()),
})

export const checkDirAvailable = (path: string): Check => ({
  name: `DirAvailable-${path.replace(/\//g, '-')}`,
  run: () => {
    try {
      return readdirSync(hostPath(path)).length > 0 ? err(`${path} is not empty`) : ok()
    } catch {
      return ok()
    }
  },
})

export const checkPort = (port: number, address = ''): Check => ({
  name: `Port-${port}`,
  run: () => new Promise<CheckResult>((resolve) => {
    const srv = createServer()
    srv.once('error', () => resolve(err(`Port ${port} is in use`)))
    srv.listen({ port, host: address || undefined, exclusive: true }, () => srv.close(() => resolve(ok())))
  }),
})

export const checkCri = (endpoint: string): Check => ({
  name: 'CRI',
  run: async () => {
    try {
      await runtimeVersion(endpoint)
      return ok()
    } catch (e) {
      return err(`could not connect to the container runtime: ${(e as Error).message}`)
    }
  },
})

export const checkImages = (endpoint: string, images: string[], policy: string): Check => ({
  name: 'ImagePull',
  run: async () => {
    let present: Set<string>
    try {
      present = new Set(await listImageTags(endpoint))
    } catch (e) {
      return err(`failed to list images: ${(e as Error).message}`)
    }
    const errors: string[] = []
    for (const image of images) {
      if (present.has(image) && policy !== 'Always') continue
      if (policy === 'Never') {
        errors.push(`image ${image} does not exist and the image pull policy is "Never"`)
        continue
      }
      try {
        await pullImage(endpoint, image)
      } catch (e) {
        errors.push(`failed to pull image ${image}: ${(e as Error).message}`)
      }
    }
    return { warnings: [], errors }
  },
})

export function kubeletBinaryVersion(): KubeVersion | string {
  try {
    const out = execFileSync('kubelet', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return parseKubeVersion(out.replace(/^Kubernetes\s+/, '').trim()) ?? `couldn't parse kubelet version ${JSON.stringify(out.trim())}`
  } catch {
    return 'couldn\'t get kubelet version: cannot execute \'kubelet --version\': executable file not found in $PATH'
  }
}

export const checkKubeletVersionSkew = (kubeadm: KubeVersion, controlPlane: KubeVersion): Check => ({
  name: 'KubeletVersion',
  run: () => {
    const v = kubeletBinaryVersion()
    if (typeof v === 'string') return err(v)
    const problem = checkKubeletVersion(v, kubeadm, controlPlane)
    return problem ? err(problem) : ok()
  },
})

export const checkKubeletService = (): Check => ({
  name: 'Service-Kubelet',
  run: () => {
    if (!systemdRunning()) return ok()
    try {
      execFileSync('systemctl', ['is-enabled', 'kubelet.service'], { stdio: 'ignore' })
      return ok()
    } catch {
      return warn('kubelet service is not enabled, please run \'systemctl enable kubelet.service\'')
    }
  },
})

export const checkExternalEtcd = (endpoints: string[], files: { caFile: string; certFile: string; keyFile: string }): Check => ({
  name: 'ExternalEtcdVersion',
  run: async () => {
    const errors: string[] = []
    for (const ep of endpoints) {
      const url = `${ep.replace(/\/$/, '')}/version`
      const result = await new Promise<string | undefined>((resolve) => {
        const req = request(url, {
          ca: files.caFile ? readHostFile(files.caFile) : undefined,
          cert: files.certFile ? readHostFile(files.certFile) : undefined,
          key: files.keyFile ? readHostFile(files.keyFile) : undefined,
          timeout: 5000,
        }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode === 200 ? undefined : `Get "${url}": unexpected status ${res.statusCode}`))
        })
        req.on('timeout', () => req.destroy(new Error('context deadline exceeded')))
        req.on('error', (e) => resolve(`Get "${url}": ${e.message}`))
        req.end()
      })
      if (result) errors.push(`this version of kubeadm only supports external etcd version >= 3.5.0: ${result}`)
    }
    return { warnings: [], errors }
  },
})

export function systemdRunning(): boolean {
  return hostFileExists('/run/systemd/system') && !process.env.KUBESEED_EMULATION_ROOT
}

function ignored(name: string, ignore: Set<string>): boolean {
  return ignore.has('all') || ignore.has(name.toLowerCase())
}

/** Run checks in order; print warnings; fail with kubeadm's message when a non-ignored check fails. */
export async function runChecks(checks: Check[], ignoreList: string[], log: (s: string) => void): Promise<void> {
  const ignore = new Set(ignoreList.map((n) => n.toLowerCase()))
  if (ignore.has('all') && ignore.size > 1) {
    throw new EmulatedFailure('ignore-preflight-errors: Invalid value: "all": don\'t specify individual checks if \'all\' is used')
  }
  const fatal: string[] = []
  for (const c of checks) {
    const r = await c.run()
    for (const w of r.warnings) log(`\t[WARNING ${c.name}]: ${w}`)
    for (const e of r.errors) {
      if (ignored(c.name, ignore)) log(`\t[WARNING ${c.name}]: ${e}`)
      else fatal.push(`\t[ERROR ${c.name}]: ${e}`)
    }
  }
  if (fatal.length) {
    throw new EmulatedFailure(
      `[preflight] Some fatal errors occurred:\n${fatal.join('\n')}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\``,
    )
  }
}
