// Token discovery (kubeadm join): fetch cluster-info without trusting the server, check its JWS
// with the token, pin the CA by the hash of its public key, then re-fetch over verified TLS.
import { load } from 'js-yaml'
import { X509Certificate } from 'node:crypto'
import { EmulatedFailure } from '../failure.js'
import { ApiClient } from '../client/api-client.js'
import { TOKEN_RE, verifyDetachedJws } from '../bootstrap-tokens.js'
import { caCertHash } from '../pki/x509.js'
import { readHostFile } from '../host/paths.js'
import { parseKubeconfig } from '../kubeconfig.js'

export interface DiscoveredCluster {
  server: string
  caPem: string
}

const CLUSTER_INFO = '/api/v1/namespaces/kube-public/configmaps/cluster-info'

function fail(msg: string): never {
  throw new EmulatedFailure(`couldn't validate the identity of the API Server: ${msg}`)
}

export async function discoverWithToken(endpoint: string, token: string, caCertHashes: string[], unsafeSkip: boolean): Promise<DiscoveredCluster> {
  const m = TOKEN_RE.exec(token)
  if (!m) fail(`the bootstrap token "${token}" was not of the form "[a-z0-9]{6}.[a-z0-9]{16}"`)
  const [, id, secret] = m as unknown as [string, string, string]
  const url = `https://${endpoint}`
  let cm: { data?: Record<string, string> }
  try {
    cm = await new ApiClient({ server: url, timeoutMs: 10_000 }).get(CLUSTER_INFO)
  } catch (e) {
    fail(`failed to request the cluster-info ConfigMap: ${(e as Error).message}`)
  }
  const kubeconfig = cm.data?.kubeconfig
  if (!kubeconfig) fail('there is no kubeconfig key in the cluster-info ConfigMap')
  const jws = cm.data?.[`jws-kubeconfig-${id}`]
  if (!jws) {
    fail(`could not find a JWS signature in the cluster-info ConfigMap for token ID "${id}"`)
  }
  if (!verifyDetachedJws(kubeconfig, jws, id, secret)) {
    fail('failed to verify JWS signature of received cluster info object, can\'t trust this API Server')
  }
  const cluster = (load(kubeconfig) as { clusters?: Array<{ cluster: Record<string, string> }> }).clusters?.[0]?.cluster
  const caPem = Buffer.from(cluster?.['certificate-authority-data'] ?? '', 'base64').toString('utf8')
  if (!caPem || !cluster?.server) fail('the cluster-info ConfigMap has no cluster with a server and a CA')
  try {
    new X509Certificate(caPem)
  } catch {
    fail('the cluster-info ConfigMap holds an invalid CA certificate')
  }
  if (!unsafeSkip) {
    const actual = caCertHash(caPem)
    if (!caCertHashes.map((h) => h.toLowerCase()).includes(actual)) {
      fail(`cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "${actual}" are pinned`)
    }
  }
  try {
    await new ApiClient({ server: url, ca: caPem, timeoutMs: 10_000 }).get(CLUSTER_INFO)
  } catch (e) {
    fail(`failed to re-fetch cluster-info over a verified TLS connection to ${url}: ${(e as Error).message}`)
  }
  return { server: cluster!.server!, caPem }
}

export function discoverWithFile(path: string): DiscoveredCluster {
  const text = readHostFile(path)
  if (!text) fail(`couldn't read the discovery kubeconfig file "${path}"`)
  const k = parseKubeconfig(text, path)
  return { server: k.server, caPem: k.caData }
}
