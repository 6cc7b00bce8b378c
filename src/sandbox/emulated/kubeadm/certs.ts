// kubeadm's certificate tree (phases/certs): which certificates exist, who signs them, their
// subjects, usages and SANs, as a table; then the phase that creates what is missing.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import { hostFileExists, readHostFile, writeHostFile } from '../host/paths.js'
import { generateKey, issueCertificate, privateKeyPem, publicKeyPem, type CertSpec, type KeyAlgorithm } from '../pki/x509.js'
import type { ClusterModel } from './config-model.js'

export interface CertDefinition {
  /** Base name under the certificates dir, e.g. "apiserver" or "etcd/peer". */
  file: string
  ca?: string
  spec: (ctx: CertContext) => Omit<CertSpec, 'validityMs'>
}

export interface CertContext {
  nodeName: string
  advertiseAddress: string
  cluster: ClusterModel
}

/** The first address of the service subnet: the kubernetes Service's ClusterIP. */
export function apiServiceIp(serviceSubnet: string): string {
  const [ip] = serviceSubnet.split(',')[0]!.split('/') as [string]
  const parts = ip.split('.').map(Number)
  parts[3] = parts[3]! + 1
  return parts.join('.')
}

function hostOf(endpoint: string): string {
  if (!endpoint) return ''
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(endpoint)
  if (m) return m[1]!
  return endpoint.includes(':') && isIP(endpoint) === 0 ? endpoint.split(':')[0]! : endpoint
}

function splitSans(names: string[]): { dnsNames: string[]; ips: string[] } {
  return { dnsNames: names.filter((n) => isIP(n) === 0), ips: names.filter((n) => isIP(n) !== 0) }
}

const uniq = (xs: string[]) => [...new Set(xs.filter(Boolean))]

export const CA_CERTS: Record<string, string> = { ca: 'kubernetes', 'front-proxy-ca': 'front-proxy-ca', 'etcd/ca': 'etcd-ca' }

export const LEAF_CERTS: CertDefinition[] = [
  {
    file: 'apiserver',
    ca: 'ca',
    spec: ({ nodeName, advertiseAddress, cluster }) => {
      const sans = splitSans(uniq([
        nodeName, 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc',
        `kubernetes.default.svc.${cluster.networking.dnsDomain}`,
        apiServiceIp(cluster.networking.serviceSubnet), advertiseAddress,
        hostOf(cluster.controlPlaneEndpoint), ...cluster.certSANs,
      ]))
      return { subject: { commonName: 'kube-apiserver' }, isCA: false, usages: ['server'], ...sans }
    },
  },
  {
    file: 'apiserver-kubelet-client',
    ca: 'ca',
    spec: () => ({ subject: { commonName: 'kube-apiserver-kubelet-client', organizations: ['kubeadm:cluster-admins'] }, isCA: false, usages: ['client'] }),
  },
  {
    file: 'front-proxy-client',
    ca: 'front-proxy-ca',
    spec: () => ({ subject: { commonName: 'front-proxy-client' }, isCA: false, usages: ['client'] }),
  },
  {
    file: 'etcd/server',
    ca: 'etcd/ca',
    spec: ({ nodeName, advertiseAddress, cluster }) => ({
      subject: { commonName: nodeName }, isCA: false, usages: ['server', 'client'],
      ...splitSans(uniq([nodeName, 'localhost', advertiseAddress, '127.0.0.1', '::1', ...(cluster.etcd.local?.serverCertSANs ?? [])])),
    }),
  },
  {
    file: 'etcd/peer',
    ca: 'etcd/ca',
    spec: ({ nodeName, advertiseAddress, cluster }) => ({
      subject: { commonName: nodeName }, isCA: false, usages: ['server', 'client'],
      ...splitSans(uniq([nodeName, 'localhost', advertiseAddress, '127.0.0.1', '::1', ...(cluster.etcd.local?.peerCertSANs ?? [])])),
    }),
  },
  {
    file: 'etcd/healthcheck-client',
    ca: 'etcd/ca',
    spec: () => ({ subject: { commonName: 'kube-etcd-healthcheck-client' }, isCA: false, usages: ['client'] }),
  },
  {
    file: 'apiserver-etcd-client',
    ca: 'etcd/ca',
    spec: () => ({ subject: { commonName: 'kube-apiserver-etcd-client' }, isCA: false, usages: ['client'] }),
  },
]

/** Files shared between control planes (what upload-certs carries). */
export const SHARED_CERT_FILES = [
  'ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key',
]

/**
 * What upload-certs carries for a cluster, by Secret key and host path: the shared files, and with external etcd
 * its CA and the API server's client certificate and key at the configured paths instead of the etcd CA
 * (kubeadm's copycerts certsToTransfer).
 */
export function certsToTransfer(c: Pick<ClusterModel, 'certificatesDir' | 'etcd'>): Array<{ key: string; path: string; secret: boolean }> {
  const ext = c.etcd.external
  const shared = SHARED_CERT_FILES.filter((f) => !(ext && f.startsWith('etcd/')))
    .map((f) => ({ key: f.replace(/\//g, '-'), path: `${c.certificatesDir}/${f}`, secret: f.endsWith('.key') }))
  if (!ext) return shared
  return [...shared,
    { key: 'external-etcd-ca.crt', path: ext.caFile, secret: false },
    { key: 'external-etcd.crt', path: ext.certFile, secret: false },
    { key: 'external-etcd.key', path: ext.keyFile, secret: true },
  ].filter((f) => f.path !== '')
}

export interface LoadedCa {
  cert: X509Certificate
  key: KeyObject
}

export function loadCa(dir: string, name: string): LoadedCa | undefined {
  const crt = readHostFile(`${dir}/${name}.crt`)
  const key = readHostFile(`${dir}/${name}.key`)
  if (!crt || !key) return undefined
  return { cert: new X509Certificate(crt), key: createPrivateKey(key) }
}

function ensureCa(dir: string, name: string, cn: string, algo: KeyAlgorithm, validityMs: number, log: (s: string) => void): LoadedCa {
  const existing = loadCa(dir, name)
  if (existing) {
    log(`[certs] Using existing ${name.replace('/', '-')} certificate authority`)
    return existing
  }
  if (hostFileExists(`${dir}/${name}.crt`)) {
    // External CA mode: the certificate is there but its key is not.
    throw new Error(`[certs] ${dir}/${name}.key is missing: cannot sign new certificates`)
  }
  log(`[certs] Generating "${name.replace('/', '-')}" certificate and key`)
  const key = generateKey(algo)
  const pem = issueCertificate({ subject: { commonName: cn }, isCA: true, usages: [], validityMs }, key)
  writeHostFile(`${dir}/${name}.key`, privateKeyPem(key), 0o600)
  writeHostFile(`${dir}/${name}.crt`, pem, 0o644)
  return { cert: new X509Certificate(pem), key }
}

/** The certs phase: create every missing CA, leaf certificate and the service-account key pair. */
export function createCertificates(ctx: CertContext, log: (s: string) => void): void {
  const { cluster } = ctx
  const dir = cluster.certificatesDir
  const externalEtcd = cluster.etcd.external !== undefined
  const cas = new Map<string, LoadedCa>()
  for (const [name, cn] of Object.entries(CA_CERTS)) {
    if (externalEtcd && name === 'etcd/ca') continue
    cas.set(name, ensureCa(dir, name, cn, cluster.encryptionAlgorithm, cluster.caValidityMs, log))
  }
  for (const def of LEAF_CERTS) {
    if (externalEtcd && def.ca === 'etcd/ca') continue
    if (hostFileExists(`${dir}/${def.file}.crt`) && hostFileExists(`${dir}/${def.file}.key`)) {
      log(`[certs] Using existing ${def.file.replace('/', '-')} certificate and key on disk`)
      continue
    }
    const spec = def.spec(ctx)
    log(`[certs] Generating "${def.file.replace('/', '-')}" certificate and key`)
    if (spec.dnsNames?.length || spec.ips?.length) {
      log(`[certs] ${def.file.replace('/', '-')} serving cert is signed for DNS names [${(spec.dnsNames ?? []).join(' ')}] and IPs [${(spec.ips ?? []).join(' ')}]`)
    }
    const key = generateKey(cluster.encryptionAlgorithm)
    const pem = issueCertificate({ ...spec, validityMs: cluster.certValidityMs }, key, cas.get(def.ca!)!)
    writeHostFile(`${dir}/${def.file}.key`, privateKeyPem(key), 0o600)
    writeHostFile(`${dir}/${def.file}.crt`, pem, 0o644)
  }
  if (hostFileExists(`${dir}/sa.key`)) {
    log('[certs] Using the existing "sa" key')
  } else {
    log('[certs] Generating "sa" key and public key')
    const sa = generateKey(cluster.encryptionAlgorithm.startsWith('ECDSA') ? cluster.encryptionAlgorithm : 'RSA-2048')
    writeHostFile(`${dir}/sa.key`, privateKeyPem(sa), 0o600)
    writeHostFile(`${dir}/sa.pub`, publicKeyPem(sa), 0o644)
  }
}

/** Sign a client certificate with the cluster CA (kubeconfig users, kubelet client). */
export function issueClientCert(ca: LoadedCa, commonName: string, organizations: string[], algo: KeyAlgorithm, validityMs: number): { cert: string; key: string } {
  const key = generateKey(algo)
  const cert = issueCertificate({ subject: { commonName, organizations }, isCA: false, usages: ['client'], validityMs }, key, ca)
  return { cert, key: privateKeyPem(key) }
}
