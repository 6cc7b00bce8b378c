import { expect } from 'chai'
import { detachedJws, generateToken, tokenSecret, verifyDetachedJws, TOKEN_RE } from '../../../src/sandbox/emulated/bootstrap-tokens.js'
import { decryptBytes, encryptBytes, generateCertificateKey } from '../../../src/sandbox/emulated/kubeadm/upload-certs.js'

describe('emulated bootstrap tokens, cluster-info signatures and the certificate key', () => {
  it('generates tokens of the bootstrap-token format', () => {
    for (let i = 0; i < 50; i++) expect(generateToken()).to.match(TOKEN_RE)
  })

  it('stores a token as the kube-system Secret Kubernetes expects', () => {
    const s = tokenSecret({ token: 'abcdef.0123456789abcdef', ttlMs: 3600_000, usages: ['signing', 'authentication'], groups: ['g1'] }, Date.parse('2030-01-01T00:00:00Z'))
    const data = s.data as Record<string, string>
    const text = (k: string) => Buffer.from(data[k]!, 'base64').toString()
    expect((s.metadata as { name: string }).name).to.equal('bootstrap-token-abcdef')
    expect(s.type).to.equal('bootstrap.kubernetes.io/token')
    expect([text('token-id'), text('token-secret'), text('expiration'), text('usage-bootstrap-signing'), text('auth-extra-groups')])
      .to.deep.equal(['abcdef', '0123456789abcdef', '2030-01-01T01:00:00Z', 'true', 'g1'])
  })

  it('signs cluster-info as a detached HS256 JWS keyed by the whole token', () => {
    const jws = detachedJws('content', 'abcdef', '0123456789abcdef')
    const [header, payload, sig] = jws.split('.')
    expect(payload).to.equal('')
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.deep.equal({ alg: 'HS256', kid: 'abcdef' })
    expect(sig).to.match(/^[A-Za-z0-9_-]{43}$/)
    expect(verifyDetachedJws('content', jws, 'abcdef', '0123456789abcdef')).to.equal(true)
    expect(verifyDetachedJws('content', jws, 'abcdef', '0123456789abcdeg')).to.equal(false)
    expect(verifyDetachedJws('contenT', jws, 'abcdef', '0123456789abcdef')).to.equal(false)
  })

  it('encrypts uploaded certificates so that only the certificate key opens them', () => {
    const key = generateCertificateKey()
    expect(key).to.match(/^[0-9a-f]{64}$/)
    const sealed = encryptBytes(Buffer.from('secret pem'), key)
    expect(sealed.length).to.equal(12 + 10 + 16)
    expect(decryptBytes(sealed, key).toString()).to.equal('secret pem')
    expect(() => decryptBytes(sealed, generateCertificateKey())).to.throw('cipher: message authentication failed')
  })
})
