// kubeadm's API calls: clients from kubeconfig files, create-or-update, and health waits.
import { readHostFile } from '../host/paths.js'
import { parseKubeconfig } from '../kubeconfig.js'
import { ApiClient, ApiError, clientFromKubeconfig } from '../client/api-client.js'
import { EmulatedFailure } from '../failure.js'

export function clientFor(kubeconfigPath: string): ApiClient {
  const text = readHostFile(kubeconfigPath)
  if (text === undefined) throw new EmulatedFailure(`couldn't read kubeconfig file "${kubeconfigPath}": open ${kubeconfigPath}: no such file or directory`)
  return clientFromKubeconfig(parseKubeconfig(text, kubeconfigPath))
}

export function objectPath(apiVersion: string, plural: string, namespace: string | undefined, name?: string): string {
  const base = apiVersion === 'v1' ? '/api/v1' : `/apis/${apiVersion}`
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`
}

/** Create the object, or replace it when it exists (kubeadm's apiclient.CreateOrUpdate*). */
export async function createOrUpdate(c: ApiClient, plural: string, obj: Record<string, unknown>): Promise<void> {
  const meta = obj.metadata as { name: string; namespace?: string }
  const apiVersion = String(obj.apiVersion)
  try {
    await c.call('POST', objectPath(apiVersion, plural, meta.namespace), obj)
  } catch (e) {
    if (!(e instanceof ApiError && e.code === 409)) throw e
    await c.call('PUT', objectPath(apiVersion, plural, meta.namespace, meta.name), obj)
  }
}

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: unknown
  for (;;) {
    try {
      const v = await probe()
      if (v !== undefined) return v
    } catch (e) {
      last = e
    }
    if (Date.now() > deadline) {
      throw new EmulatedFailure(`${what}: context deadline exceeded${last ? `: ${(last as Error).message}` : ''}`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
}

export async function waitHealthy(server: string, ca: string, timeoutMs: number): Promise<number> {
  const start = Date.now()
  const c = new ApiClient({ server, ca, timeoutMs: 2000 })
  await waitFor('[api-check] The API server is not healthy', timeoutMs, async () => ((await c.get<unknown>('/healthz')) === 'ok' ? true : undefined))
  return Date.now() - start
}
