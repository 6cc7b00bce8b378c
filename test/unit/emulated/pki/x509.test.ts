import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { caCertHash, createCsr, generateKey, issueCertificate, parseCsr, privateKeyPem } from '../../../../src/sandbox/emulated/pki/x509.js'

describe('emulated PKI (X.509 from the DER writer)', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-pki-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  for (const algo of ['RSA-2048', 'ECDSA-P256', 'ECDSA-P384'] as const) {
    it(`issues a CA and a serving certificate openssl verifies (${algo})`, () => {
      const caKey = generateKey(algo)
      const caPem = issueCertificate({ subject: { commonName: 'kubernetes' }, isCA: true, usages: [], validityMs: 864e5 }, caKey)
      const key = generateKey(algo)
      const leafPem = issueCertificate({
        subject: { commonName: 'kube-apiserver', organizations: ['o1', 'o2'] }, isCA: false, usages: ['server'],
        dnsNames: ['kubernetes', 'cp1'], ips: ['10.96.0.1', '::1'], validityMs: 864e5,
      }, key, { cert: new X509Certificate(caPem), key: caKey })
      writeFileSync(join(dir, 'ca.crt'), caPem)
      writeFileSync(join(dir, 'leaf.crt'), leafPem)
      writeFileSync(join(dir, 'leaf.key'), privateKeyPem(key))
      const verify = spawnSync('openssl', ['verify', '-CAfile', join(dir, 'ca.crt'), join(dir, 'leaf.crt')], { encoding: 'utf8' })
      expect(verify.stdout.trim()).to.equal(`${join(dir, 'leaf.crt')}: OK`)
      const text = spawnSync('openssl', ['x509', '-in', join(dir, 'leaf.crt'), '-noout', '-text'], { encoding: 'utf8' }).stdout
      expect(text).to.contain('DNS:kubernetes, DNS:cp1, IP Address:10.96.0.1, IP Address:0:0:0:0:0:0:0:1')
      expect(text).to.match(/Subject: O\s?=\s?o1, O\s?=\s?o2, CN\s?=\s?kube-apiserver/)
      expect(text).to.contain('TLS Web Server Authentication')
      const modMatch = spawnSync('sh', ['-c', `openssl x509 -in ${join(dir, 'leaf.crt')} -noout -pubkey | sha256sum; openssl pkey -in ${join(dir, 'leaf.key')} -pubout | sha256sum`], { encoding: 'utf8' }).stdout.split('\n')
      expect(modMatch[0]).to.equal(modMatch[1])
      const caText = spawnSync('openssl', ['x509', '-in', join(dir, 'ca.crt'), '-noout', '-text'], { encoding: 'utf8' }).stdout
      expect(caText).to.contain('CA:TRUE')
      expect(caText).to.contain('Certificate Sign')
    })
  }

  it('computes the discovery CA hash exactly as openssl does', () => {
    const caPem = issueCertificate({ subject: { commonName: 'kubernetes' }, isCA: true, usages: [], validityMs: 864e5 }, generateKey('RSA-2048'))
    writeFileSync(join(dir, 'hash-ca.crt'), caPem)
    const out = spawnSync('sh', ['-c', `openssl x509 -pubkey -in ${join(dir, 'hash-ca.crt')} | openssl rsa -pubin -outform der 2>/dev/null | openssl dgst -sha256 -hex | sed 's/^.* //'`], { encoding: 'utf8' }).stdout.trim()
    expect(out).to.match(/^[0-9a-f]{64}$/)
    expect(caCertHash(caPem)).to.equal(`sha256:${out}`)
  })

  it('round-trips a PKCS#10 request that openssl accepts, and rejects a tampered one', () => {
    const key = generateKey('ECDSA-P256')
    const csr = createCsr({ commonName: 'system:node:w1', organizations: ['system:nodes'] }, key)
    writeFileSync(join(dir, 'r.csr'), csr)
    expect(spawnSync('openssl', ['req', '-in', join(dir, 'r.csr'), '-noout', '-verify'], { encoding: 'utf8' }).stderr).to.match(/verify OK|Certificate request self-signature verify OK/)
    expect(parseCsr(csr).subject).to.deep.equal({ commonName: 'system:node:w1', organizations: ['system:nodes'] })
    const body = Buffer.from(csr.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64')
    body[40] = body[40]! ^ 0xff
    const tampered = `-----BEGIN CERTIFICATE REQUEST-----\n${body.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`
    expect(() => parseCsr(tampered)).to.throw()
  })
})
