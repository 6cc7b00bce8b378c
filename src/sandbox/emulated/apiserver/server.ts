// The API server emulator: an HTTPS server with the API server's certificate, client-certificate
// and bootstrap-token authentication, and the REST surface kubeadm, kubelet and kubectl use.
import { evictionRefusal } from './eviction.js'
import { createServer, request as httpsRequest, type Server } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { X509Certificate, createPrivateKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { authenticate, authorize, forbiddenMessage, type Identity, type Request } from './auth.js'
import { mergePatch, ObjectStore, StoreError, type KubeObject, type ResourceKey } from './store.js'
import { issueCertificate, parseCsr } from '../pki/x509.js'
import { detachedJws } from '../bootstrap-tokens.js'
import { builtinForPath, resourcesOfCrd, type ResourceType } from '../api-resources.js'
import { API_KIND_SCHEMAS } from '../schema/api-kinds.js'
import { objectMeta } from '../schema/api-workloads.js'
import { fieldsOf, type KindSchema } from '../schema/types.js'
import { decodeStrict } from '../decode/strict.js'
import { parseKubeVersion } from '../versions.js'
import { crdVersion, validateCustomResource } from './custom-resources.js'
import { withDaemonSetStatus, withNodeLifecycle } from './derived-status.js'
import { labelAndTaintErrors } from './label-validation.js'

export interface ApiServerOptions {
  pkiDir: string
  bindAddress: string
  port: number
  stateFile?: string
  /** Reports the running version; read on each request so an upgraded manifest takes effect. */
  version: () => string
  /** Another control plane's API server that holds the cluster state (joined control planes). */
  upstream?: string
  /** External etcd health: undefined when healthy, else why not. */
  etcdCheck?: () => Promise<string | undefined>
}

interface Route extends Request {
  key: ResourceKey
  version: string
}

/** What serves a route: a built-in type (validated when it has a field table) or a CRD's version. */
interface Served {
  type: ResourceType
  kindSchema?: KindSchema
  crSchema?: Record<string, unknown>
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease']
const CRDS: ResourceKey = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' }
const NAMESPACES: ResourceKey = { group: '', resource: 'namespaces' }
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
// RBAC objects are named by path segments (e.g. "system:node"), not DNS subdomains.
const PATH_SEGMENT_NAMED = new Set(['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'])
const metadataOnly: KindSchema = { group: '', version: '', kind: 'ObjectMeta', goPackage: 'v1', fields: fieldsOf({ metadata: objectMeta }) }

function parseRoute(method: string, path: string): Route | undefined {
  const parts = path.split('/').filter(Boolean)
  let group: string
  let version: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1] === 'v1') {
    group = ''
    version = 'v1'
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts.length >= 3) {
    group = parts[1]!
    version = parts[2]!
    rest = parts.slice(3)
  } else return undefined
  let namespace: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [resource, name, subresource] = rest
  if (!resource) return undefined
  const verb = ({ GET: name ? 'get' : 'list', POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method]
  if (!verb) return undefined
  return {
    verb: subresource === 'eviction' ? 'create' : verb,
    group,
    resource,
    ...(subresource ? { subresource } : {}),
    ...(namespace ? { namespace } : {}),
    ...(name ? { name } : {}),
    key: { group, resource, ...(namespace ? { namespace } : {}) },
    version,
  }
}

function status(code: number, reason: string, message: string): KubeObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(code, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' })
  res.end(text)
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : undefined
}

function matchesSelectors(o: KubeObject, url: URL): boolean {
  const field = url.searchParams.get('fieldSelector')
  if (field) {
    for (const term of field.split(',')) {
      const [path, want] = term.split('=') as [string, string]
      let v: unknown = o
      for (const p of path.split('.')) v = (v as Record<string, unknown> | undefined)?.[p]
      if (String(v ?? '') !== want) return false
    }
  }
  const label = url.searchParams.get('labelSelector')
  if (label) {
    const labels = o.metadata?.labels ?? {}
    for (const term of label.split(',')) {
      const [k, want] = term.split('=') as [string, string | undefined]
      if (want === undefined ? !(k in labels) : labels[k] !== want) return false
    }
  }
  return true
}

/** Where Go's base64.StdEncoding gives up on `s` ([]byte fields are base64 in JSON), or undefined when it decodes. */
function base64ErrorAt(s: string): number | undefined {
  const bad = s.search(/[^A-Za-z0-9+/=]/)
  if (bad >= 0) return bad
  const pad = s.indexOf('=')
  if (pad >= 0 && (!/^=+$/.test(s.slice(pad)) || s.length - pad > 2)) return pad
  if (s.length % 4 !== 0) return s.length - (s.length % 4)
  return undefined
}

export class ApiServer {
  readonly store: ObjectStore
  private server?: Server

  constructor(private readonly opts: ApiServerOptions) {
    this.store = new ObjectStore(opts.stateFile)
    if (opts.upstream) return
    // The namespaces kube-apiserver itself creates at start.
    for (const name of SYSTEM_NAMESPACES) {
      if (!this.store.find(NAMESPACES, name)) this.store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } })
    }
  }

  private minor(): number {
    return parseKubeVersion(this.opts.version())?.minor ?? 0
  }

  /** The built-in type or CRD version behind a route; undefined means the server does not serve it. */
  private served(r: Route): Served | undefined {
    const builtin = builtinForPath(r.group, r.version, r.resource)
    if (builtin) {
      const kindSchema = API_KIND_SCHEMAS.find((k) => k.kind === builtin.kind && k.group === r.group && k.version === r.version)
      return { type: builtin, ...(kindSchema ? { kindSchema } : {}) }
    }
    const found = crdVersion(this.store.list(CRDS), r.group, r.version, r.resource)
    if (!found) return undefined
    const type = resourcesOfCrd(found.crd).find((t) => t.apiVersion === `${r.group}/${r.version}`)!
    if (type.namespaced !== (r.namespace !== undefined) && r.verb !== 'list') return undefined
    return { type, ...(found.schema ? { crSchema: found.schema } : {}) }
  }

  /** Strict field validation (what kubectl asks for by default) and name validation of a stored object. */
  private validate(r: Route, served: Served, obj: KubeObject): void {
    const kind = served.type.kind
    const name = String(obj.metadata?.name ?? r.name ?? '')
    const cannot = `${kind} in version "${r.version}" cannot be handled as a ${kind}: `
    const invalid = (problems: string[]) => new StoreError(422, 'Invalid', `${r.group ? `${kind}.${r.group}` : kind} "${name}" is invalid: ${problems.join(', ')}`)
    const p = decodeStrict(served.kindSchema ?? metadataOnly, served.kindSchema ? obj : { metadata: obj.metadata }, this.minor())
    if (p.typeErrors.length) throw new StoreError(400, 'BadRequest', cannot + p.typeErrors[0])
    const bytes = kind === 'Secret' ? obj.data : kind === 'ConfigMap' ? obj.binaryData : undefined
    for (const v of Object.values((bytes ?? {}) as Record<string, unknown>)) {
      const at = typeof v === 'string' ? base64ErrorAt(v) : undefined
      if (at !== undefined) throw new StoreError(400, 'BadRequest', `${cannot}illegal base64 data at input byte ${at}`)
    }
    const cr = served.crSchema ? validateCustomResource(served.crSchema, obj) : { unknown: [], invalid: [] }
    const unknown = [...p.unknownFields, ...cr.unknown]
    if (unknown.length) throw new StoreError(400, 'BadRequest', `${cannot}strict decoding error: ${unknown.join(', ')}`)
    const labels = labelAndTaintErrors(obj, r.group === '' && r.resource === 'nodes')
    if (p.invalidValues.length || cr.invalid.length || labels.length) throw invalid([...p.invalidValues, ...cr.invalid, ...labels])
    if (name && !PATH_SEGMENT_NAMED.has(kind) && !DNS1123_SUBDOMAIN.test(name)) {
      throw invalid([`metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`])
    }
  }

  /** Status that a controller would maintain, filled in on read. */
  private view(r: Route, o: KubeObject): KubeObject {
    if (r.group === '' && r.resource === 'nodes') return withNodeLifecycle(o)
    if (r.group === 'apps' && r.resource === 'daemonsets') return withDaemonSetStatus(o, this.store.list({ group: '', resource: 'nodes' }))
    return o
  }

  private signKubeletCsr(id: Identity, csr: KubeObject): KubeObject {
    const spec = (csr.spec ?? {}) as Record<string, unknown>
    const parsed = parseCsr(Buffer.from(String(spec.request ?? ''), 'base64').toString('utf8'))
    const isNodeClient = spec.signerName === 'kubernetes.io/kube-apiserver-client-kubelet'
      && parsed.subject.commonName.startsWith('system:node:')
      && (parsed.subject.organizations ?? []).includes('system:nodes')
    const mayApprove = id.groups.includes('system:bootstrappers') || id.user === parsed.subject.commonName
      || id.groups.includes('system:masters')
    if (!isNodeClient || !mayApprove) return csr
    const caPem = readFileSync(`${this.opts.pkiDir}/ca.crt`, 'utf8')
    const caKey = createPrivateKey(readFileSync(`${this.opts.pkiDir}/ca.key`))
    const cert = issueCertificate(
      { subject: parsed.subject, isCA: false, usages: ['client'], validityMs: 365 * 24 * 3600_000 },
      parsed.publicKey,
      { cert: new X509Certificate(caPem), key: caKey },
    )
    return {
      ...csr,
      status: {
        conditions: [{ type: 'Approved', status: 'True', reason: 'AutoApproved', message: 'Auto approving kubelet client certificate after SubjectAccessReview.' }],
        certificate: Buffer.from(cert).toString('base64'),
      },
    }
  }

  private etcdCache?: { at: number; problem: string | undefined }

  private async etcdHealth(): Promise<string | undefined> {
    if (!this.opts.etcdCheck) return undefined
    if (this.etcdCache && Date.now() - this.etcdCache.at < 2000) return this.etcdCache.problem
    this.etcdCache = { at: Date.now(), problem: await this.opts.etcdCheck() }
    return this.etcdCache.problem
  }

  /** What the bootstrapsigner controller does: one JWS per signing token over the kubeconfig. */
  private signClusterInfo(cm: KubeObject): KubeObject {
    const data = { ...((cm.data ?? {}) as Record<string, string>) }
    for (const k of Object.keys(data)) if (k.startsWith('jws-kubeconfig-')) delete data[k]
    const kubeconfig = data.kubeconfig ?? ''
    for (const secret of this.store.list({ group: '', resource: 'secrets', namespace: 'kube-system' })) {
      if (secret.type !== 'bootstrap.kubernetes.io/token') continue
      const d = (secret.data ?? {}) as Record<string, string>
      const get = (k: string) => (d[k] ? Buffer.from(d[k]!, 'base64').toString('utf8') : undefined)
      const exp = get('expiration')
      if (get('usage-bootstrap-signing') !== 'true' || (exp && Date.parse(exp) < Date.now())) continue
      const id = get('token-id')
      const secretValue = get('token-secret')
      if (id && secretValue) data[`jws-kubeconfig-${id}`] = detachedJws(kubeconfig, id, secretValue)
    }
    return { ...cm, data }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost')
    const path = url.pathname
    if (['/healthz', '/livez', '/readyz'].includes(path)) {
      const etcd = await this.etcdHealth()
      return etcd ? send(res, 500, `[-]etcd failed: ${etcd}\nhealthz check failed`) : send(res, 200, 'ok')
    }
    if (path === '/version') {
      const v = this.opts.version()
      const [major, minor] = v.replace(/^v/, '').split('.')
      return send(res, 200, { major, minor, gitVersion: v, platform: 'linux/amd64', emulated: true })
    }
    if (this.opts.upstream) return this.relay(req, res, url)
    const id = authenticate(req, this.store)
    if ('error' in id) return send(res, 401, status(401, 'Unauthorized', 'Unauthorized'))
    const route = parseRoute(req.method ?? 'GET', path)
    if (!route) return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'))
    if (!authorize(id, route)) return send(res, 403, status(403, 'Forbidden', forbiddenMessage(id, route)))
    const served = this.served(route)
    if (!served) return send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'))
    try {
      const body = ['POST', 'PUT', 'PATCH'].includes(req.method ?? '') ? await readBody(req) : undefined
      const out = this.apply(id, route, served, body as KubeObject | undefined, url)
      send(res, route.verb === 'create' && route.subresource !== 'eviction' ? 201 : 200, out)
    } catch (e) {
      if (e instanceof StoreError) return send(res, e.code, status(e.code, e.reason, e.message))
      if (e instanceof SyntaxError) return send(res, 400, status(400, 'BadRequest', e.message))
      return send(res, 500, status(500, 'InternalError', String(e)))
    }
  }

  private apply(id: Identity, r: Route, served: Served, body: KubeObject | undefined, url: URL): unknown {
    const s = this.store
    if (r.subresource === 'eviction') {
      const refused = evictionRefusal(s.get(r.key, r.name!), s.list({ group: 'policy', resource: 'poddisruptionbudgets', namespace: r.namespace }), s.list(r.key))
      if (refused) throw new StoreError(429, 'TooManyRequests', refused)
      s.delete(r.key, r.name!)
      return { kind: 'Status', apiVersion: 'v1', status: 'Success', code: 201 }
    }
    switch (r.verb) {
      case 'list': {
        const items = s.list(r.key).filter((o) => matchesSelectors(o, url)).map((o) => this.view(r, o))
        return { kind: 'List', apiVersion: 'v1', metadata: {}, items }
      }
      case 'get': {
        const o = s.get(r.key, r.name!)
        if (r.resource === 'configmaps' && r.namespace === 'kube-public' && r.name === 'cluster-info') return this.signClusterInfo(o)
        return this.view(r, o)
      }
      case 'create': {
        const obj = body ?? {}
        this.validate(r, served, obj)
        if (r.namespace && !s.find(NAMESPACES, r.namespace)) throw new StoreError(404, 'NotFound', `namespaces "${r.namespace}" not found`)
        if (r.group === 'certificates.k8s.io' && r.resource === 'certificatesigningrequests') {
          return s.create(r.key, this.signKubeletCsr(id, obj))
        }
        return s.create(r.key, obj)
      }
      case 'update': {
        if (r.subresource === 'status') {
          const old = s.get(r.key, r.name!)
          return s.replace(r.key, r.name!, { ...old, status: body?.status })
        }
        this.validate(r, served, body ?? {})
        return s.replace(r.key, r.name!, body ?? {})
      }
      case 'patch': {
        const merged = mergePatch(s.get(r.key, r.name!), body) as KubeObject
        this.validate(r, served, merged)
        return s.replace(r.key, r.name!, merged)
      }
      case 'delete':
        return s.delete(r.key, r.name!)
    }
    throw new StoreError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource')
  }

  /**
   * Joined control planes share the first one's state: the request goes there with the caller's
   * identity in X-Remote-* headers over the front-proxy client certificate; bearer tokens pass as they are.
   */
  private async relay(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const pki = this.opts.pkiDir
    const sock = req.socket as TLSSocket
    if (req.headers['x-kubeseed-relayed']) {
      return send(res, 508, status(508, 'LoopDetected', 'this API server relays to another one, which relayed back: the upstream of a joined control plane must be the first control plane'))
    }
    const headers: Record<string, string | string[]> = { 'x-kubeseed-relayed': '1' }
    for (const h of ['content-type', 'accept', 'authorization']) {
      const v = req.headers[h]
      if (v) headers[h] = v
    }
    if (!req.headers.authorization && sock.authorized) {
      const subject = sock.getPeerCertificate().subject as unknown as Record<string, string | string[]>
      const o = subject.O
      headers['x-remote-user'] = String(subject.CN)
      headers['x-remote-group'] = [...(Array.isArray(o) ? o : o ? [o] : []), 'system:authenticated'].join(',')
    }
    const body = await new Promise<Buffer>((resolve) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => resolve(Buffer.concat(chunks)))
    })
    const up = httpsRequest(new URL(url.pathname + url.search, this.opts.upstream), {
      method: req.method,
      headers,
      ca: readFileSync(`${pki}/ca.crt`),
      cert: readFileSync(`${pki}/front-proxy-client.crt`),
      key: readFileSync(`${pki}/front-proxy-client.key`),
    }, (r) => {
      res.writeHead(r.statusCode ?? 502, { 'content-type': r.headers['content-type'] ?? 'application/json' })
      r.pipe(res)
    })
    up.on('error', (e) => send(res, 503, status(503, 'ServiceUnavailable', `error trying to reach the cluster's first API server: ${e.message}`)))
    up.end(body)
  }

  listen(): Promise<void> {
    const pki = this.opts.pkiDir
    this.server = createServer({
      cert: readFileSync(`${pki}/apiserver.crt`),
      key: readFileSync(`${pki}/apiserver.key`),
      ca: [readFileSync(`${pki}/ca.crt`), readFileSync(`${pki}/front-proxy-ca.crt`)],
      requestCert: true,
      rejectUnauthorized: false,
    }, (req, res) => void this.handle(req, res))
    return new Promise((resolve, reject) => {
      this.server!.once('error', reject)
      this.server!.listen(this.opts.port, this.opts.bindAddress, () => resolve())
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }
}
