// Bootstrap tokens as Kubernetes stores them (kube-system Secrets) and the detached JWS
// signatures of the cluster-info ConfigMap that token discovery verifies (HS256, key "id.secret").
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'

export const TOKEN_RE = /^([a-z0-9]{6})\.([a-z0-9]{16})$/

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

function randomString(n: number): string {
  const bytes = randomBytes(n * 2)
  let out = ''
  for (let i = 0; out.length < n; i++) {
    const b = bytes[i % bytes.length]!
    // Reject the biased tail so every character is equally likely.
    if (b < 252) out += ALPHABET[b % 36]
    if (i > n * 8) break
  }
  return out
}

export function generateToken(): string {
  return `${randomString(6)}.${randomString(16)}`
}

export interface TokenSecretInput {
  token: string
  description?: string
  ttlMs: number
  usages: string[]
  groups: string[]
}

const b64 = (s: string) => Buffer.from(s).toString('base64')

export function tokenSecret(t: TokenSecretInput, now = Date.now()): Record<string, unknown> {
  const [, id, secret] = TOKEN_RE.exec(t.token)!
  const data: Record<string, string> = { 'token-id': b64(id!), 'token-secret': b64(secret!) }
  if (t.description) data.description = b64(t.description)
  if (t.ttlMs > 0) data.expiration = b64(new Date(now + t.ttlMs).toISOString().replace(/\.\d+Z$/, 'Z'))
  for (const u of t.usages) data[`usage-bootstrap-${u}`] = b64('true')
  if (t.groups.length) data['auth-extra-groups'] = b64(t.groups.join(','))
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    data,
  }
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url')

/** go-jose's compact HS256 serialization with the payload removed ("header..signature"). */
export function detachedJws(content: string, tokenId: string, tokenSecretValue: string): string {
  const header = b64url(JSON.stringify({ alg: 'HS256', kid: tokenId }))
  const sig = createHmac('sha256', `${tokenId}.${tokenSecretValue}`).update(`${header}.${b64url(content)}`).digest()
  return `${header}..${b64url(sig)}`
}

export function verifyDetachedJws(content: string, jws: string, tokenId: string, tokenSecretValue: string): boolean {
  const expected = Buffer.from(detachedJws(content, tokenId, tokenSecretValue))
  const got = Buffer.from(jws)
  return expected.length === got.length && timingSafeEqual(expected, got)
}
