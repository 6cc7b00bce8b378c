import { expect } from 'chai'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ApiServer } from '../../../../src/sandbox/emulated/apiserver/server.js'
import { ApiClient, ApiError } from '../../../../src/sandbox/emulated/client/api-client.js'
import { generateKey, issueCertificate, privateKeyPem } from '../../../../src/sandbox/emulated/pki/x509.js'
import { tokenSecret, verifyDetachedJws } from '../../../../src/sandbox/emulated/bootstrap-tokens.js'

const PORT = 26543

describe('emulated API server', () => {
  let dir: string
  let server: ApiServer
  let ca: string
  let admin: ApiClient
  let etcdProblem: string | undefined

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-apiserver-'))
    const caKey = generateKey('ECDSA-P256')
    ca = issueCertificate({ subject: { commonName: 'kubernetes' }, isCA: true, usages: [], validityMs: 864e5 }, caKey)
    const issuer = { cert: new X509Certificate(ca), key: caKey }
    const fpKey = generateKey('ECDSA-P256')
    writeFileSync(join(dir, 'front-proxy-ca.crt'), issueCertificate({ subject: { commonName: 'front-proxy-ca' }, isCA: true, usages: [], validityMs: 864e5 }, fpKey))
    const key = generateKey('ECDSA-P256')
    writeFileSync(join(dir, 'ca.crt'), ca)
    writeFileSync(join(dir, 'ca.key'), privateKeyPem(caKey))
    writeFileSync(join(dir, 'apiserver.crt'), issueCertificate({ subject: { commonName: 'kube-apiserver' }, isCA: false, usages: ['server'], ips: ['127.0.0.1'], validityMs: 864e5 }, key, issuer))
    writeFileSync(join(dir, 'apiserver.key'), privateKeyPem(key))
    const adminKey = generateKey('ECDSA-P256')
    const adminCert = issueCertificate({ subject: { commonName: 'kubernetes-admin', organizations: ['kubeadm:cluster-admins'] }, isCA: false, usages: ['client'], validityMs: 864e5 }, adminKey, issuer)
    server = new ApiServer({ pkiDir: dir, bindAddress: '127.0.0.1', port: PORT, version: () => 'v1.32.13', etcdCheck: async () => etcdProblem })
    await server.listen()
    admin = new ApiClient({ server: `https://127.0.0.1:${PORT}`, ca, cert: adminCert, key: privateKeyPem(adminKey) })
  })
  after(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const anonymous = () => new ApiClient({ server: `https://127.0.0.1:${PORT}`, ca })

  it('lets the admin create, patch and list objects, and reports conflicts like Kubernetes', async () => {
    await admin.call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } })
    const dup = await admin.call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } }).catch((e: ApiError) => e)
    expect(dup).to.be.instanceOf(ApiError)
    expect((dup as ApiError).message).to.equal('nodes "n1" already exists')
    await admin.call('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')
    const list = await admin.get<{ items: Array<{ metadata: { labels: Record<string, string> } }> }>('/api/v1/nodes?labelSelector=a%3Db')
    expect(list.items.map((n) => n.metadata.labels)).to.deep.equal([{ a: 'b' }])
  })

  it('gives anonymous callers cluster-info only, signed for each signing token', async () => {
    await admin.call('POST', '/api/v1/namespaces/kube-system/secrets', tokenSecret({ token: 'abcdef.0123456789abcdef', ttlMs: 3600_000, usages: ['signing', 'authentication'], groups: [] }))
    await admin.call('POST', '/api/v1/namespaces/kube-public/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cluster-info' }, data: { kubeconfig: 'cfg' } })
    const cm = await anonymous().get<{ data: Record<string, string> }>('/api/v1/namespaces/kube-public/configmaps/cluster-info')
    expect(verifyDetachedJws('cfg', cm.data['jws-kubeconfig-abcdef']!, 'abcdef', '0123456789abcdef')).to.equal(true)
    const denied = await anonymous().get('/api/v1/nodes').catch((e: ApiError) => e)
    expect((denied as ApiError).code).to.equal(403)
    expect((denied as ApiError).message).to.equal('nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope')
  })

  it('authenticates bootstrap tokens against their Secret', async () => {
    const good = new ApiClient({ server: `https://127.0.0.1:${PORT}`, ca, token: 'abcdef.0123456789abcdef' })
    expect((await good.get<{ metadata: { name: string } }>('/api/v1/nodes/n1')).metadata.name).to.equal('n1')
    const forbidden = await good.get('/api/v1/namespaces/kube-system/secrets').catch((e: ApiError) => e)
    expect((forbidden as ApiError).code).to.equal(403)
    const bad = new ApiClient({ server: `https://127.0.0.1:${PORT}`, ca, token: 'abcdef.0123456789abcdeX' })
    expect(((await bad.get('/api/v1/nodes/n1').catch((e: ApiError) => e)) as ApiError).code).to.equal(401)
  })

  it('is unhealthy while its external etcd is', async function () {
    this.timeout(10_000)
    expect(await anonymous().get('/healthz')).to.equal('ok')
    etcdProblem = 'https://10.0.0.1:2379/health: connect ECONNREFUSED'
    await new Promise((r) => setTimeout(r, 2100))
    const e = await anonymous().get('/healthz').catch((x: ApiError) => x)
    expect((e as ApiError).code).to.equal(500)
    expect((e as ApiError).message).to.contain('[-]etcd failed: https://10.0.0.1:2379/health: connect ECONNREFUSED')
    etcdProblem = undefined
  })
})
