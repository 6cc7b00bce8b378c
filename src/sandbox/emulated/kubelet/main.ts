// The emulated kubelet: validates flags and its config strictly, bootstraps its client
// certificate, registers the Node and reports Ready only while the container runtime answers.
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTlsServer } from 'node:tls'
import { hostname, networkInterfaces, release } from 'node:os'
import { load, YAML11_SCHEMA } from 'js-yaml'
import { EmulatedFailure } from '../failure.js'
import { hostFileExists, makeHostDir, readHostFile, writeHostFile } from '../host/paths.js'
import { parseFlags, str, type FlagValues } from '../flags.js'
import { KUBELET_FLAGS } from './flag-table.js'
import { kubeletConfiguration as kubeletSchema } from '../schema/kubelet-v1beta1.js'
import { decodeStrict } from '../decode/strict.js'
import { parseGoDuration } from '../decode/duration.js'
import { parseKubeconfig, renderKubeconfig } from '../kubeconfig.js'
import { ApiClient, ApiError, clientFromKubeconfig } from '../client/api-client.js'
import { createCsr, generateKey, issueCertificate, privateKeyPem } from '../pki/x509.js'
import { runtimeConditions, runtimeVersion, DEFAULT_CRI_SOCKET } from '../cri/client.js'
import { cniConfigFiles, nodeReadiness, type RuntimeCondition } from './node-readiness.js'
import { parseNodeLabels } from './node-labels.js'
import { emulatedVersion, emulationLabel } from '../build-info.js'
import { formatVersion } from '../versions.js'

type Obj = Record<string, any>
const log = (s: string): void => {
  process.stderr.write(`${s}\n`)
}

/**
 * The kubelet's flags come from its command line only: systemd expands $KUBELET_KUBEADM_ARGS and
 * $KUBELET_EXTRA_ARGS from the unit's EnvironmentFile= lines; a unit without them loses those flags.
 */
export function kubeletFlags(argv: string[]): FlagValues {
  return parseFlags(argv, KUBELET_FLAGS, 'failed to parse kubelet flag: ').flags
}

export function loadKubeletConfig(path: string, minor: number): Obj {
  const text = readHostFile(path)
  if (text === undefined) {
    throw new EmulatedFailure(`failed to load kubelet config file, path: ${path}, error: failed to load Kubelet config file ${path}, error failed to read kubelet config file "${path}", error: open ${path}: no such file or directory`)
  }
  let doc: Obj
  try {
    doc = (load(text, { schema: YAML11_SCHEMA }) ?? {}) as Obj
  } catch (e) {
    throw new EmulatedFailure(`failed to load kubelet config file, path: ${path}, error: failed to decode: yaml: ${(e as { reason?: string }).reason ?? String(e)}`)
  }
  if (doc.kind !== 'KubeletConfiguration' || doc.apiVersion !== 'kubelet.config.k8s.io/v1beta1') {
    throw new EmulatedFailure(`failed to load kubelet config file, path: ${path}, error: failed to decode: no kind "${doc.kind ?? ''}" is registered for version "${doc.apiVersion ?? ''}" in scheme "pkg/kubelet/apis/config/scheme/scheme.go:33"`)
  }
  const p = decodeStrict(kubeletSchema, doc, minor)
  const first = p.typeErrors[0] ?? (p.unknownFields.length ? `strict decoding error: ${p.unknownFields.join(', ')}` : undefined)
  if (first) throw new EmulatedFailure(`failed to load kubelet config file, path: ${path}, error: failed to decode: ${first}`)
  if (p.invalidValues.length) throw new EmulatedFailure(`failed to validate kubelet configuration, error: [${p.invalidValues.join(', ')}], path: &TypeMeta{Kind:KubeletConfiguration,APIVersion:kubelet.config.k8s.io/v1beta1,}`)
  return doc
}

function nodeIp(flagIp: string | undefined): string | undefined {
  if (flagIp) return flagIp.split(',')[0]
  for (const addrs of Object.values(networkInterfaces())) {
    const a = addrs?.find((x) => x.family === 'IPv4' && !x.internal)
    if (a) return a.address
  }
  return undefined
}

async function bootstrapClient(kubeconfig: string, bootstrap: string | undefined, certDir: string, nodeName: string): Promise<ApiClient> {
  const text = readHostFile(kubeconfig)
  if (text !== undefined) return clientFromKubeconfig(parseKubeconfig(text, kubeconfig))
  if (!bootstrap || !hostFileExists(bootstrap)) {
    throw new EmulatedFailure(`failed to run Kubelet: unable to load bootstrap kubeconfig: stat ${bootstrap ?? '""'}: no such file or directory`)
  }
  const b = parseKubeconfig(readHostFile(bootstrap)!, bootstrap)
  const c = clientFromKubeconfig(b)
  const key = generateKey('ECDSA-P256')
  const csr = await c.call<Obj>('POST', '/apis/certificates.k8s.io/v1/certificatesigningrequests', {
    apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest',
    metadata: { name: `node-csr-${nodeName}-${Date.now().toString(36)}` },
    spec: { request: Buffer.from(createCsr({ commonName: `system:node:${nodeName}`, organizations: ['system:nodes'] }, key)).toString('base64'), signerName: 'kubernetes.io/kube-apiserver-client-kubelet', usages: ['digital signature', 'client auth'] },
  })
  if (!csr.status?.certificate) throw new EmulatedFailure('failed to run Kubelet: cannot create certificate signing request: not approved')
  const pem = `${certDir}/kubelet-client-current.pem`
  makeHostDir(certDir, 0o700)
  writeHostFile(pem, Buffer.from(csr.status.certificate, 'base64').toString('utf8') + privateKeyPem(key), 0o600)
  writeHostFile(kubeconfig, renderKubeconfig({ server: b.server, caData: b.caData, clusterName: 'default-cluster', user: 'default-auth', credentials: { clientCertificate: pem, clientKey: pem } }), 0o600)
  return clientFromKubeconfig(parseKubeconfig(readHostFile(kubeconfig)!, kubeconfig))
}

function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown; once: (e: string, cb: (err: Error) => void) => unknown }, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new EmulatedFailure(`failed to listen on ${host}:${port}: listen tcp ${host}:${port}: bind: ${(e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? 'address already in use' : e.message}`)))
    server.listen(port, host, () => resolve())
  })
}

/** The healthz endpoint and the kubelet's TLS port (with a self-signed serving certificate), listening. */
async function serveEndpoints(flags: FlagValues, cfg: Obj, nodeName: string): Promise<void> {
  const healthz = createHttpServer((_, res) => {
    res.writeHead(200)
    res.end('ok')
  })
  await listen(healthz, str(flags, 'healthz-bind-address') ?? cfg.healthzBindAddress ?? '127.0.0.1', Number(flags['healthz-port'] ?? cfg.healthzPort ?? 10248))
  const servingKey = generateKey('ECDSA-P256')
  const servingCert = issueCertificate({ subject: { commonName: `${nodeName}@${Math.floor(Date.now() / 1000)}` }, isCA: false, usages: ['server'], dnsNames: [nodeName], validityMs: 365 * 864e5 }, servingKey)
  const api10250 = createTlsServer({ cert: servingCert, key: privateKeyPem(servingKey) }, (s) => s.end())
  await listen(api10250, str(flags, 'address') ?? cfg.address ?? '0.0.0.0', Number(flags.port ?? cfg.port ?? 10250))
}

/** --register-with-taints: key[=value]:effect,... */
function parseTaints(flag: string | undefined): Array<{ key: string; value?: string; effect: string }> {
  return (flag ?? '').split(',').filter(Boolean).map((t) => {
    const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(t)!
    return { key: m[1]!, ...(m[2] ? { value: m[2] } : {}), effect: m[3]! }
  })
}

/** The Node's status as the kubelet reports it: addresses, Ready from the runtime and CNI, node info. */
async function nodeStatus(o: { endpoint: string; ip: string | undefined; nodeName: string; osImage: string; runtime: string }): Promise<Obj> {
  const runtime: { down?: string; conditions: RuntimeCondition[] } = { conditions: [] }
  try {
    runtime.conditions = await runtimeConditions(o.endpoint)
  } catch (e) {
    runtime.down = (e as Error).message
  }
  const r = nodeReadiness(runtime, cniConfigFiles())
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z')
  return {
    addresses: [...(o.ip ? [{ type: 'InternalIP', address: o.ip }] : []), { type: 'Hostname', address: o.nodeName }],
    conditions: [{ type: 'Ready', status: r.ready ? 'True' : 'False', reason: r.reason, message: r.message, lastHeartbeatTime: now, lastTransitionTime: now }],
    nodeInfo: {
      kubeletVersion: formatVersion(emulatedVersion()), kubeProxyVersion: '', operatingSystem: 'linux', architecture: 'amd64',
      osImage: o.osImage, kernelVersion: release(), containerRuntimeVersion: o.runtime,
    },
  }
}

/** kubeadm starts the kubelet before the API server answers: like the real kubelet, keep trying to register. */
async function registerNode(client: ApiClient, node: Obj, status: () => Promise<Obj>): Promise<void> {
  const nodeName = node.metadata.name as string
  for (let delayMs = 100; ; delayMs = Math.min(delayMs * 2, 7000)) {
    try {
      await client.call('POST', '/api/v1/nodes', { ...node, status: await status() })
      log(`I0000 kubelet_node_status.go:75] "Successfully registered node" node="${nodeName}"`)
      return
    } catch (e) {
      if (e instanceof ApiError && e.code === 409) return
      log(`E0000 kubelet_node_status.go:95] "Unable to register node with API server" err="${(e as Error).message}" node="${nodeName}"`)
      await new Promise((r) => setTimeout(r, delayMs))
    }
  }
}

export async function kubeletMain(argv: string[]): Promise<number> {
  try {
    if (argv.includes('--version')) {
      process.stdout.write(`Kubernetes ${formatVersion(emulatedVersion())}\n`)
      return 0
    }
    if (argv.includes('--help') || argv.includes('-h')) {
      process.stdout.write(`${emulationLabel('kubelet')}\nThe kubelet is the primary "node agent" that runs on each node.\n\nUsage:\n  kubelet [flags]\n`)
      return 0
    }
    const flags = kubeletFlags(argv)
    const nodeLabels = parseNodeLabels(str(flags, 'node-labels'))
    const configPath = str(flags, 'config')
    if (!configPath) throw new EmulatedFailure('failed to load kubelet config file: --config is required on kubeadm nodes (/var/lib/kubelet/config.yaml)')
    const cfg = loadKubeletConfig(configPath, emulatedVersion().minor)
    const swaps = (readHostFile('/proc/swaps') ?? '').trim().split('\n').filter(Boolean)
    const failSwapOn = flags['fail-swap-on'] ?? cfg.failSwapOn ?? true
    if (failSwapOn && swaps.length > 1) throw new EmulatedFailure('failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false')
    const endpoint = str(flags, 'container-runtime-endpoint') ?? cfg.containerRuntimeEndpoint ?? DEFAULT_CRI_SOCKET
    await runtimeVersion(endpoint).catch((e) => {
      throw new EmulatedFailure(`failed to run Kubelet: ${(e as Error).message}`)
    })
    const nodeName = (str(flags, 'hostname-override') ?? hostname()).toLowerCase()
    await serveEndpoints(flags, cfg, nodeName)
    const client = await bootstrapClient(str(flags, 'kubeconfig') ?? '/etc/kubernetes/kubelet.conf', str(flags, 'bootstrap-kubeconfig'), str(flags, 'cert-dir') ?? '/var/lib/kubelet/pki', nodeName)
    const rv = await runtimeVersion(endpoint)
    const ip = nodeIp(str(flags, 'node-ip'))
    const labels: Record<string, string> = { 'kubernetes.io/hostname': nodeName, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' }
    Object.assign(labels, nodeLabels)
    const taints = [...(cfg.registerWithTaints ?? []), ...parseTaints(str(flags, 'register-with-taints'))]
    const osImage = /PRETTY_NAME="?([^"\n]*)/.exec(readHostFile('/etc/os-release') ?? '')?.[1] ?? 'Linux'
    const status = () => nodeStatus({ endpoint, ip, nodeName, osImage, runtime: `${rv.runtimeName}://${rv.runtimeVersion}` })
    await registerNode(client, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels, annotations: { 'kubeadm.alpha.kubernetes.io/cri-socket': endpoint, 'node.alpha.kubernetes.io/ttl': '0' } }, spec: { ...(taints.length ? { taints } : {}) } }, status)
    const periodMs = (parseGoDuration(String(cfg.nodeStatusUpdateFrequency ?? '10s')) ?? 10e9) / 1e6
    const report = async () => {
      try {
        await client.call('PUT', `/api/v1/nodes/${nodeName}/status`, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName }, status: await status() })
      } catch (e) {
        log(`E0000 kubelet_node_status.go:549] "Error updating node status, will retry" err="${(e as Error).message}"`)
      }
    }
    await report()
    setInterval(() => void report(), periodMs)
    await new Promise(() => undefined)
    return 0
  } catch (e) {
    process.stderr.write(`E0000 run.go:72] "command failed" err="${(e as Error).message}"\n`)
    return 1
  }
}
