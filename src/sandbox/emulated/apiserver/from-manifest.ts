// Run the API server emulator the way the kubelet would run the kube-apiserver static Pod:
// flags and version come from /etc/kubernetes/manifests/kube-apiserver.yaml, so an upgraded
// manifest (new image tag) is a new API server version after a restart.
import { load } from 'js-yaml'
import { request as httpsRequest } from 'node:https'
import { dirname } from 'node:path'
import { EmulatedFailure } from '../failure.js'
import { hostPath, makeHostDir, readHostFile } from '../host/paths.js'
import { ApiServer } from './server.js'

export const APISERVER_MANIFEST = '/etc/kubernetes/manifests/kube-apiserver.yaml'
export const APISERVER_STATE = '/var/lib/kube-apiserver-emulator/state.json'
/** On joined control planes: the URL of the API server that holds the cluster state. */
export const APISERVER_UPSTREAM = '/var/lib/kube-apiserver-emulator/upstream'

interface ManifestView {
  flags: Map<string, string>
  version: string
}

export function readApiServerManifest(): ManifestView {
  const text = readHostFile(APISERVER_MANIFEST)
  if (!text) throw new EmulatedFailure(`no static Pod manifest for kube-apiserver: open ${APISERVER_MANIFEST}: no such file or directory`)
  const pod = load(text) as { spec?: { containers?: Array<{ command?: string[]; image?: string }> } }
  const c = pod.spec?.containers?.[0]
  const flags = new Map<string, string>()
  for (const a of c?.command ?? []) {
    const m = /^--([^=]+)=(.*)$/.exec(a)
    if (m) flags.set(m[1]!, m[2]!)
  }
  return { flags, version: c?.image?.split(':').pop() ?? 'v0.0.0' }
}

/**
 * With external etcd (no etcd static Pod) the API server is healthy only while etcd answers, as
 * the real one: a wrong endpoint or certificate keeps `kubeadm init` waiting, then failing.
 */
function externalEtcd(flags: Map<string, string>): (() => Promise<string | undefined>) | undefined {
  const servers = flags.get('etcd-servers')
  // Stacked etcd (a static Pod next to this one, reached on 127.0.0.1) is not run in the sandbox.
  if (!servers || servers === 'https://127.0.0.1:2379' || readHostFile('/etc/kubernetes/manifests/etcd.yaml') !== undefined) return undefined
  const file = (f: string) => (flags.get(f) ? readHostFile(flags.get(f)!) : undefined)
  return async () => {
    const problems: string[] = []
    for (const ep of servers.split(',')) {
      const url = `${ep.replace(/\/$/, '')}/health`
      const problem = await new Promise<string | undefined>((resolve) => {
        const req = httpsRequest(url, { ca: file('etcd-cafile'), cert: file('etcd-certfile'), key: file('etcd-keyfile'), timeout: 2000 }, (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode === 200 ? undefined : `${url}: status ${res.statusCode}`))
        })
        req.on('timeout', () => req.destroy(new Error('context deadline exceeded')))
        req.on('error', (e) => resolve(`${url}: ${e.message}`))
        req.end()
      })
      if (!problem) return undefined
      problems.push(problem)
    }
    return problems.join('; ')
  }
}

export async function runApiServerFromManifest(log: (s: string) => void): Promise<ApiServer> {
  const m = readApiServerManifest()
  const pki = dirname(m.flags.get('tls-cert-file') ?? '/etc/kubernetes/pki/apiserver.crt')
  makeHostDir(dirname(APISERVER_STATE), 0o700)
  const server = new ApiServer({
    pkiDir: hostPath(pki),
    bindAddress: m.flags.get('bind-address') ?? '0.0.0.0',
    port: Number(m.flags.get('secure-port') ?? 6443),
    stateFile: hostPath(APISERVER_STATE),
    ...(readHostFile(APISERVER_UPSTREAM) ? { upstream: readHostFile(APISERVER_UPSTREAM)!.trim() } : {}),
    ...(externalEtcd(m.flags) ? { etcdCheck: externalEtcd(m.flags) } : {}),
    version: () => {
      try {
        return readApiServerManifest().version
      } catch {
        return m.version
      }
    },
  })
  await server.listen()
  log(`kube-apiserver (kubeseed sandbox emulation) ${m.version} serving on ${m.flags.get('bind-address') ?? '0.0.0.0'}:${m.flags.get('secure-port') ?? 6443}`)
  return server
}
