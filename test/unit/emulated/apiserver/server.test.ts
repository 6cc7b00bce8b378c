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

  const errorOf = async (p: Promise<unknown>): Promise<ApiError> => {
    const e = await p.then(() => undefined, (x: unknown) => x)
    if (!(e instanceof ApiError)) throw new Error(`expected an API error, got ${JSON.stringify(e)}`)
    return e
  }

  it('refuses unknown fields and wrong types in the built-in kinds it serves, as strict field validation does', async () => {
    const ds = (container: Record<string, unknown>) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'node-agent', namespace: 'kube-system' },
      spec: { selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { hostNetwork: true, containers: [container] } } },
    })
    const unknown = await errorOf(admin.call('POST', '/apis/apps/v1/namespaces/kube-system/daemonsets', ds({ name: 'a', image: 'x', imagePullPolice: 'Always' })))
    expect(unknown.code).to.equal(400)
    expect(unknown.message).to.equal('DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolice"')
    const wrongType = await errorOf(admin.call('POST', '/apis/apps/v1/namespaces/kube-system/daemonsets', ds({ name: 'a', image: 'x', ports: [{ containerPort: '53' }] })))
    expect(wrongType.message).to.equal('DaemonSet in version "v1" cannot be handled as a DaemonSet: json: cannot unmarshal string into Go struct field DaemonSet.spec.template.spec.containers.ports.containerPort of type int32')
    const badEnum = await errorOf(admin.call('POST', '/apis/apps/v1/namespaces/kube-system/daemonsets', ds({ name: 'a', image: 'x', imagePullPolicy: 'Sometimes' })))
    expect(badEnum.code).to.equal(422)
    expect(badEnum.message).to.equal('DaemonSet.apps "node-agent" is invalid: spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"')
    await admin.call('POST', '/apis/apps/v1/namespaces/kube-system/daemonsets', ds({ name: 'a', image: 'x', resources: { limits: { cpu: '100m', memory: 64 } } }))
    const badName = await errorOf(admin.call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'Calico_System' } }))
    expect(badName.message).to.match(/^Namespace "Calico_System" is invalid: metadata.name: Invalid value: "Calico_System": a lowercase RFC 1123 subdomain/)
    const noNamespace = await errorOf(admin.call('POST', '/api/v1/namespaces/calico-system/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }))
    expect([noNamespace.code, noNamespace.message]).to.deep.equal([404, 'namespaces "calico-system" not found'])
  })

  it('serves a custom resource only once a CRD defines it, and checks it against the CRD schema', async () => {
    const pool = { apiVersion: 'crd.projectcalico.org/v1', kind: 'IPPool', metadata: { name: 'default-pool' }, spec: { cidr: '10.233.64.0/18', blockSize: 26 } }
    const before = await errorOf(admin.call('POST', '/apis/crd.projectcalico.org/v1/ippools', pool))
    expect([before.code, before.message]).to.deep.equal([404, 'the server could not find the requested resource'])
    await admin.call('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'ippools.crd.projectcalico.org' },
      spec: {
        group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPPool', listKind: 'IPPoolList', plural: 'ippools', singular: 'ippool' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: {
          apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' },
          spec: { type: 'object', properties: { cidr: { type: 'string' }, blockSize: { type: 'integer' }, ipipMode: { type: 'string', enum: ['Never', 'Always', 'CrossSubnet'] }, nodeSelector: { type: 'string' } } },
        } } } }],
      },
    })
    await admin.call('POST', '/apis/crd.projectcalico.org/v1/ippools', pool)
    const listed = await admin.get<{ items: Array<{ metadata: { name: string } }> }>('/apis/crd.projectcalico.org/v1/ippools')
    expect(listed.items.map((i) => i.metadata.name)).to.deep.equal(['default-pool'])
    const unknown = await errorOf(admin.call('POST', '/apis/crd.projectcalico.org/v1/ippools', { ...pool, metadata: { name: 'p2' }, spec: { cidr: '10.0.0.0/8', natOutgoin: true } }))
    expect(unknown.message).to.equal('IPPool in version "v1" cannot be handled as a IPPool: strict decoding error: unknown field "spec.natOutgoin"')
    const wrong = await errorOf(admin.call('POST', '/apis/crd.projectcalico.org/v1/ippools', { ...pool, metadata: { name: 'p3' }, spec: { blockSize: '26', ipipMode: 'Sometimes' } }))
    expect(wrong.code).to.equal(422)
    expect(wrong.message).to.contain('IPPool.crd.projectcalico.org "p3" is invalid: spec.blockSize: Invalid value: "string": spec.blockSize in body must be of type integer')
    expect(wrong.message).to.contain('spec.ipipMode: Unsupported value: "Sometimes"')
    const namespacedPath = await errorOf(admin.call('POST', '/apis/crd.projectcalico.org/v1/namespaces/default/ippools', pool))
    expect(namespacedPath.code).to.equal(404)
  })

  it('fills in DaemonSet status as the controller would schedule it, with no pod running', async () => {
    await admin.call('POST', '/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp', labels: { 'kubernetes.io/os': 'linux' } }, spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } })
    const ds = await admin.get<{ status: Record<string, number> }>('/apis/apps/v1/namespaces/kube-system/daemonsets/node-agent')
    expect(ds.status).to.include({ desiredNumberScheduled: 1, currentNumberScheduled: 0, numberReady: 0, numberUnavailable: 1 })
  })

  it('refuses label keys and values and node taints a real API server refuses', async () => {
    const badLabel = await errorOf(admin.call('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-role.kubernetes.io/worker': 'yes please' } } }, 'application/merge-patch+json'))
    expect(badLabel.code).to.equal(422)
    expect(badLabel.message).to.match(/^Node "n1" is invalid: metadata.labels: Invalid value: "yes please": a valid label must be an empty string or consist of alphanumeric characters/)
    const badKey = await errorOf(admin.call('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'Example.com/role': 'x' } } }, 'application/merge-patch+json'))
    expect(badKey.message).to.contain('metadata.labels: Invalid value: "Example.com/role": prefix part a lowercase RFC 1123 subdomain')
    const badTaint = await errorOf(admin.call('PATCH', '/api/v1/nodes/n1', { spec: { taints: [{ key: 'dedicated', value: 'db only', effect: 'NoSchedule' }] } }, 'application/merge-patch+json'))
    expect(badTaint.message).to.contain('spec.taints[0].value: Invalid value: "db only"')
    await admin.call('PATCH', '/api/v1/nodes/n1', { metadata: { labels: { 'node-role.kubernetes.io/worker': '' } }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } }, 'application/merge-patch+json')
  })

  it('refuses Secret data that is not base64, as decoding []byte does', async () => {
    const secret = (value: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'etcd-client' }, type: 'Opaque', data: { 'client.crt': value } })
    const bad = await errorOf(admin.call('POST', '/api/v1/namespaces/kube-system/secrets', secret('not base64!')))
    expect([bad.code, bad.message]).to.deep.equal([400, 'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3'])
    await admin.call('POST', '/api/v1/namespaces/kube-system/secrets', secret(Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64')))
  })
})
