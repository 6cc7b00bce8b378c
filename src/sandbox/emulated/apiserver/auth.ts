// Who is calling (client certificate, bootstrap token or anonymous) and what they may do:
// the slice of Kubernetes' authenticators and RBAC defaults that kubeadm clusters rely on.
import type { TLSSocket } from 'node:tls'
import type { IncomingMessage } from 'node:http'
import type { ObjectStore } from './store.js'

export interface Identity {
  user: string
  groups: string[]
}

export const ANONYMOUS: Identity = { user: 'system:anonymous', groups: ['system:unauthenticated'] }

export type AuthResult = Identity | { error: string }

function secretValue(secret: Record<string, unknown>, key: string): string | undefined {
  const data = secret.data as Record<string, string> | undefined
  const v = data?.[key]
  return v === undefined ? undefined : Buffer.from(v, 'base64').toString('utf8')
}

/** A bootstrap token "id.secret" checked against its kube-system Secret, as the bootstrap authenticator does. */
export function bootstrapTokenIdentity(store: ObjectStore, token: string, now = Date.now()): Identity | undefined {
  const m = /^([a-z0-9]{6})\.([a-z0-9]{16})$/.exec(token)
  if (!m) return undefined
  const secret = store.find({ group: '', resource: 'secrets', namespace: 'kube-system' }, `bootstrap-token-${m[1]}`)
  if (!secret || secret.type !== 'bootstrap.kubernetes.io/token') return undefined
  if (secretValue(secret, 'token-secret') !== m[2]) return undefined
  if (secretValue(secret, 'usage-bootstrap-authentication') !== 'true') return undefined
  const exp = secretValue(secret, 'expiration')
  if (exp && Date.parse(exp) < now) return undefined
  const extra = (secretValue(secret, 'auth-extra-groups') ?? '').split(',').filter(Boolean)
  return { user: `system:bootstrap:${m[1]}`, groups: ['system:bootstrappers', ...extra, 'system:authenticated'] }
}

export function authenticate(req: IncomingMessage, store: ObjectStore): AuthResult {
  const sock = req.socket as TLSSocket
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) {
    const id = bootstrapTokenIdentity(store, auth.slice('Bearer '.length).trim())
    return id ?? { error: 'Unauthorized' }
  }
  if (sock.authorized) {
    const cert = sock.getPeerCertificate()
    // A peer API server relaying a request (requestheader authentication): trusted only with the
    // front-proxy client certificate, as --requestheader-allowed-names=front-proxy-client says.
    const issuer = cert.issuer as unknown as Record<string, string> | undefined
    if (issuer?.CN === 'front-proxy-ca' && (cert.subject as unknown as Record<string, string>)?.CN === 'front-proxy-client') {
      const user = req.headers['x-remote-user']
      if (typeof user !== 'string' || !user) return ANONYMOUS
      const groups = req.headers['x-remote-group']
      return { user, groups: Array.isArray(groups) ? groups : groups ? String(groups).split(',') : [] }
    }
    const subject = cert.subject as unknown as Record<string, string | string[]> | undefined
    if (subject?.CN) {
      const o = subject.O
      return { user: String(subject.CN), groups: [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'] }
    }
  }
  return ANONYMOUS
}

export interface Request {
  verb: string
  group: string
  resource: string
  subresource?: string
  namespace?: string
  name?: string
}

const BOOTSTRAP_READABLE: Record<string, string[]> = {
  'kube-system/configmaps': ['kubeadm-config', 'kubelet-config', 'kube-proxy'],
  'kube-public/configmaps': ['cluster-info'],
  'kube-system/secrets': ['kubeadm-certs'],
}

/** The default RBAC of a kubeadm cluster, reduced to the rules kubeadm, kubelet and kubectl exercise. */
export function authorize(id: Identity, r: Request): boolean {
  if (id.groups.includes('system:masters') || id.groups.includes('kubeadm:cluster-admins')) return true
  if (id.user === 'system:kube-controller-manager' || id.user === 'system:kube-scheduler') return true
  const readable = r.verb === 'get' && r.name ? BOOTSTRAP_READABLE[`${r.namespace}/${r.resource}`] : undefined
  if (id.groups.includes('system:unauthenticated')) {
    return r.resource === 'configmaps' && r.namespace === 'kube-public' && r.name === 'cluster-info' && r.verb === 'get'
  }
  if (id.groups.includes('system:bootstrappers')) {
    if (r.group === 'certificates.k8s.io' && r.resource === 'certificatesigningrequests') return ['create', 'get', 'list'].includes(r.verb)
    if (r.resource === 'nodes' && r.verb === 'get') return true
    return readable?.includes(r.name ?? '') ?? false
  }
  if (id.groups.includes('system:nodes')) {
    if (r.resource === 'nodes' || r.resource === 'leases' || r.resource === 'events') return true
    if (r.group === 'certificates.k8s.io') return true
    if (r.resource === 'pods') return ['get', 'list', 'watch'].includes(r.verb) || r.subresource === 'status'
    if (r.resource === 'configmaps' && readable) return true
    return false
  }
  return false
}

export function forbiddenMessage(id: Identity, r: Request): string {
  const scope = r.namespace ? `in the namespace "${r.namespace}"` : 'at the cluster scope'
  const res = r.subresource ? `${r.resource}/${r.subresource}` : r.resource
  return `${r.resource}${r.name ? ` "${r.name}"` : ''} is forbidden: User "${id.user}" cannot ${r.verb} resource "${res}" in API group "${r.group}" ${scope}`
}
