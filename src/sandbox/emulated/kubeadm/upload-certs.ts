// upload-certs: the shared control-plane certificates, encrypted with the certificate key
// (AES-256-GCM, nonce prepended, as kubeadm's cryptoutil does) in the kube-system/kubeadm-certs Secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { EmulatedFailure } from '../failure.js'

export function generateCertificateKey(): string {
  return randomBytes(32).toString('hex')
}

export function encryptBytes(data: Buffer, keyHex: string): Buffer {
  const nonce = randomBytes(12)
  const c = createCipheriv('aes-256-gcm', Buffer.from(keyHex, 'hex'), nonce)
  const body = Buffer.concat([c.update(data), c.final()])
  return Buffer.concat([nonce, body, c.getAuthTag()])
}

export function decryptBytes(data: Buffer, keyHex: string): Buffer {
  const key = Buffer.from(keyHex, 'hex')
  if (key.length !== 32) throw new EmulatedFailure(`error decoding certificate key: crypto/aes: invalid key size ${key.length}`)
  if (data.length < 28) throw new EmulatedFailure('error decoding secret data with provided key: size of data is less than the nonce')
  try {
    const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
    d.setAuthTag(data.subarray(data.length - 16))
    return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()])
  } catch {
    throw new EmulatedFailure('error downloading the secret: error decoding secret data with provided key: cipher: message authentication failed')
  }
}
