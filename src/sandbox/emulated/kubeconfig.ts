// kubeconfig files as kubeadm writes them (embedded certificate data) and reading them back.
import { dump, load } from 'js-yaml'

export interface KubeconfigCredentials {
  clientCertificateData?: string
  clientKeyData?: string
  clientCertificate?: string
  clientKey?: string
  token?: string
}

export interface Kubeconfig {
  server: string
  caData: string
  clusterName: string
  user: string
  credentials: KubeconfigCredentials
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

export function renderKubeconfig(k: Kubeconfig): string {
  const user: Record<string, string> = {}
  if (k.credentials.clientCertificateData) user['client-certificate-data'] = b64(k.credentials.clientCertificateData)
  if (k.credentials.clientKeyData) user['client-key-data'] = b64(k.credentials.clientKeyData)
  if (k.credentials.clientCertificate) user['client-certificate'] = k.credentials.clientCertificate
  if (k.credentials.clientKey) user['client-key'] = k.credentials.clientKey
  if (k.credentials.token) user.token = k.credentials.token
  const context = `${k.user}@${k.clusterName}`
  return dump({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(k.caData), server: k.server }, name: k.clusterName }],
    contexts: [{ context: { cluster: k.clusterName, user: k.user }, name: context }],
    'current-context': context,
    kind: 'Config',
    preferences: {},
    users: [{ name: k.user, user }],
  }, { lineWidth: -1 })
}

interface RawKubeconfig {
  clusters?: Array<{ name: string; cluster: Record<string, string> }>
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>
  users?: Array<{ name: string; user: Record<string, string> }>
  'current-context'?: string
}

/** Parse the current context of a kubeconfig; file paths inside are returned as written. */
export function parseKubeconfig(text: string, source: string): Kubeconfig {
  const raw = (load(text) ?? {}) as RawKubeconfig
  const ctxName = raw['current-context']
  const ctx = raw.contexts?.find((c) => c.name === ctxName)?.context
  if (!ctx) throw new Error(`invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable (${source})`)
  const cluster = raw.clusters?.find((c) => c.name === ctx.cluster)?.cluster
  const user = raw.users?.find((u) => u.name === ctx.user)?.user ?? {}
  if (!cluster?.server) throw new Error(`invalid configuration: cluster "${ctx.cluster}" has no server (${source})`)
  const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined)
  return {
    server: cluster.server,
    caData: unb64(cluster['certificate-authority-data']) ?? '',
    clusterName: ctx.cluster,
    user: ctx.user,
    credentials: {
      clientCertificateData: unb64(user['client-certificate-data']),
      clientKeyData: unb64(user['client-key-data']),
      clientCertificate: user['client-certificate'],
      clientKey: user['client-key'],
      token: user.token,
    },
  }
}
