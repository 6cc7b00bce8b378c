// Real X.509 certificates and PKCS#10 requests from node:crypto keys and the DER writer,
// shaped like the ones kubeadm's certutil writes.
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, X509Certificate, type KeyObject } from 'node:crypto'
import { isIP } from 'node:net'
import * as der from './der.js'

export type KeyAlgorithm = 'RSA-2048' | 'RSA-3072' | 'RSA-4096' | 'ECDSA-P256' | 'ECDSA-P384'

export function generateKey(algorithm: KeyAlgorithm): KeyObject {
  if (algorithm === 'ECDSA-P256') return generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey
  if (algorithm === 'ECDSA-P384') return generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey
  return generateKeyPairSync('rsa', { modulusLength: Number(algorithm.slice(4)) }).privateKey
}

export interface Subject {
  commonName: string
  organizations?: string[]
}

export interface CertSpec {
  subject: Subject
  isCA: boolean
  usages: Array<'server' | 'client'>
  dnsNames?: string[]
  ips?: string[]
  validityMs: number
}

const OID = {
  cn: '2.5.4.3',
  o: '2.5.4.10',
  rsaSha256: '1.2.840.113549.1.1.11',
  ecdsaSha256: '1.2.840.10045.4.3.2',
  ecdsaSha384: '1.2.840.10045.4.3.3',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  basicConstraints: '2.5.29.19',
  subjectKeyId: '2.5.29.14',
  authorityKeyId: '2.5.29.35',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
}

function name(s: Subject): Buffer {
  const rdns = (s.organizations ?? []).map((o) => der.set(der.seq(der.oid(OID.o), der.utf8(o))))
  rdns.push(der.set(der.seq(der.oid(OID.cn), der.utf8(s.commonName))))
  return der.seq(...rdns)
}

/** Go's x509 default for the key: ECDSA with SHA-384 for P-384, SHA-256 otherwise. */
function digestFor(key: KeyObject): 'sha256' | 'sha384' {
  return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'sha384' : 'sha256'
}

function signatureAlgorithm(key: KeyObject): Buffer {
  if (key.asymmetricKeyType !== 'ec') return der.seq(der.oid(OID.rsaSha256), der.nullValue())
  return der.seq(der.oid(digestFor(key) === 'sha384' ? OID.ecdsaSha384 : OID.ecdsaSha256))
}

export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return pub.export({ type: 'spki', format: 'der' })
}

/** Subject key identifier: SHA-1 of the public key bits, as Go's x509 does. */
function keyId(spki: Buffer): Buffer {
  const bits = der.children(der.read(spki))[1]!.content.subarray(1)
  return createHash('sha1').update(bits).digest()
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return der.seq(der.oid(id), ...(critical ? [der.bool(true)] : []), der.octetString(value))
}

function keyUsageBits(isCA: boolean): Buffer {
  // digitalSignature(0) | keyEncipherment(2) [| keyCertSign(5)]: first byte, MSB = bit 0.
  return isCA ? der.bitString(Buffer.from([0xa4]), 2) : der.bitString(Buffer.from([0xa0]), 5)
}

function altNames(dns: string[], ips: string[]): Buffer {
  const items = dns.map((d) => der.tlv(0x82, Buffer.from(d, 'ascii')))
  for (const ip of ips) {
    const bytes = isIP(ip) === 4 ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip)
    items.push(der.tlv(0x87, bytes))
  }
  return der.seq(...items)
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail] = ip.split('::') as [string, string | undefined]
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]))
}

/** Issue a certificate for `publicKey`, signed by `issuerKey` (self-signed when issuer is omitted). */
export function issueCertificate(
  spec: CertSpec,
  publicKey: KeyObject,
  issuer?: { cert: X509Certificate; key: KeyObject },
): string {
  const signer = issuer?.key ?? publicKey
  const spki = spkiDer(publicKey)
  const now = Date.now()
  const serial = randomBytes(16)
  serial[0] = serial[0]! & 0x7f
  const exts: Buffer[] = [
    extension(OID.keyUsage, true, keyUsageBits(spec.isCA)),
  ]
  if (spec.usages.length > 0) {
    exts.push(extension(OID.extKeyUsage, false, der.seq(...spec.usages.map((u) => der.oid(u === 'server' ? OID.serverAuth : OID.clientAuth)))))
  }
  exts.push(extension(OID.basicConstraints, true, spec.isCA ? der.seq(der.bool(true)) : der.seq()))
  if (spec.isCA) exts.push(extension(OID.subjectKeyId, false, der.octetString(keyId(spki))))
  if (issuer) {
    const issuerSpki = issuer.cert.publicKey.export({ type: 'spki', format: 'der' })
    exts.push(extension(OID.authorityKeyId, false, der.seq(der.tlv(0x80, keyId(issuerSpki)))))
  }
  if ((spec.dnsNames?.length ?? 0) + (spec.ips?.length ?? 0) > 0) {
    exts.push(extension(OID.subjectAltName, false, altNames(spec.dnsNames ?? [], spec.ips ?? [])))
  }
  const issuerName = issuer ? subjectNameDer(issuer.cert) : name(spec.subject)
  const tbs = der.seq(
    der.explicit(0, der.integer(2)),
    der.integerBytes(serial),
    signatureAlgorithm(signer),
    issuerName,
    // Back-dated like kubeadm, so a slightly slow clock elsewhere still accepts it.
    der.seq(der.time(new Date(now - 5 * 60_000)), der.time(new Date(now + spec.validityMs))),
    name(spec.subject),
    spki,
    der.explicit(3, der.seq(...exts)),
  )
  const signature = sign(digestFor(signer), tbs, signer)
  const cert = der.seq(tbs, signatureAlgorithm(signer), der.bitString(signature))
  return toPem('CERTIFICATE', cert)
}

/** The issuer's subject Name exactly as encoded in its certificate. */
function subjectNameDer(cert: X509Certificate): Buffer {
  const tbs = der.children(der.read(cert.raw))[0]!
  // version, serial, sigAlg, issuer, validity, subject
  return der.children(tbs)[5]!.raw
}

export function toPem(label: string, body: Buffer): string {
  const b64 = body.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '')
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`
}

export function fromPem(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
}

export function privateKeyPem(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec'
    ? (key.export({ type: 'sec1', format: 'pem' }) as string)
    : (key.export({ type: 'pkcs1', format: 'pem' }) as string)
}

export function publicKeyPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key
  return pub.export({ type: 'spki', format: 'pem' }) as string
}

/** kubeadm's discovery-token-ca-cert-hash: sha256 of the CA's DER SubjectPublicKeyInfo. */
export function caCertHash(certPem: string): string {
  const cert = new X509Certificate(certPem)
  return `sha256:${createHash('sha256').update(cert.publicKey.export({ type: 'spki', format: 'der' })).digest('hex')}`
}

/** A PKCS#10 certificate request for `subject`, signed by `key`. */
export function createCsr(subject: Subject, key: KeyObject): string {
  const info = der.seq(der.integer(0), name(subject), spkiDer(key), der.tlv(0xa0, Buffer.alloc(0)))
  const signature = sign(digestFor(key), info, key)
  return toPem('CERTIFICATE REQUEST', der.seq(info, signatureAlgorithm(key), der.bitString(signature)))
}

export interface ParsedCsr {
  subject: Subject
  publicKey: KeyObject
}

/** Parse a PKCS#10 request and check its self-signature. */
export function parseCsr(pem: string): ParsedCsr {
  const root = der.read(fromPem(pem))
  const [info, , sig] = der.children(root) as [der.Node, der.Node, der.Node]
  const [, subjectNode, spkiNode] = der.children(info) as [der.Node, der.Node, der.Node]
  const publicKey = createPublicKey({ key: spkiNode.raw, format: 'der', type: 'spki' })
  if (!verify('sha256', info.raw, publicKey, sig.content.subarray(1))) throw new Error('x509: CSR signature is invalid')
  const subject: Subject = { commonName: '', organizations: [] }
  for (const rdn of der.children(subjectNode)) {
    for (const atv of der.children(rdn)) {
      const [idNode, valueNode] = der.children(atv) as [der.Node, der.Node]
      const id = der.decodeOid(idNode.content)
      const value = valueNode.content.toString('utf8')
      if (id === OID.cn) subject.commonName = value
      if (id === OID.o) subject.organizations!.push(value)
    }
  }
  return { subject, publicKey }
}

/** Subject of a certificate as kubeadm/Kubernetes reads it: CN = user, O = groups. */
export function certSubject(cert: X509Certificate): Subject {
  const lines = cert.subject.split('\n')
  return {
    commonName: lines.find((l) => l.startsWith('CN='))?.slice(3) ?? '',
    organizations: lines.filter((l) => l.startsWith('O=')).map((l) => l.slice(2)),
  }
}
