// A minimal Kubernetes REST client over HTTPS, authenticated the ways kubeconfigs allow.
import { request } from 'node:https'
import { readFileSync } from 'node:fs'
import { hostPath } from '../host/paths.js'
import type { Kubeconfig } from '../kubeconfig.js'

export interface ClientOptions {
  server: string
  /** PEM CA bundle to verify the server; omitted = do not verify (discovery's first, insecure fetch). */
  ca?: string
  cert?: string
  key?: string
  token?: string
  timeoutMs?: number
}

export class ApiError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message)
  }
}

export function clientFromKubeconfig(k: Kubeconfig): ApiClient {
  const c = k.credentials
  return new ApiClient({
    server: k.server,
    ca: k.caData,
    cert: c.clientCertificateData ?? (c.clientCertificate ? readFileSync(hostPath(c.clientCertificate), 'utf8') : undefined),
    key: c.clientKeyData ?? (c.clientKey ? readFileSync(hostPath(c.clientKey), 'utf8') : undefined),
    token: c.token,
  })
}

export class ApiClient {
  constructor(readonly opts: ClientOptions) {}

  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const url = new URL(path, this.opts.server)
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const req = request(url, {
        // One connection per call: Node's default agent keeps sockets alive, and a socket the server
        // closed while this process was busy (generating keys) fails the next call with "socket hang up".
        agent: false,
        method,
        ca: this.opts.ca || undefined,
        cert: this.opts.cert,
        key: this.opts.key,
        rejectUnauthorized: this.opts.ca !== undefined,
        headers: {
          accept: 'application/json',
          ...(payload ? { 'content-type': contentType } : {}),
          ...(this.opts.token ? { authorization: `Bearer ${this.opts.token}` } : {}),
        },
        timeout: this.opts.timeoutMs ?? 10_000,
      }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let parsed: unknown = text
          try {
            parsed = JSON.parse(text)
          } catch {
            // Health endpoints answer plain text.
          }
          const code = res.statusCode ?? 0
          if (code >= 400) {
            const st = parsed as { reason?: string; message?: string }
            reject(new ApiError(code, st.reason ?? 'Unknown', st.message ?? text))
            return
          }
          resolve(parsed as T)
        })
      })
      req.on('timeout', () => req.destroy(new Error(`Get "${url.href}": context deadline exceeded`)))
      req.on('error', (e) => reject(e))
      req.end(payload)
    })
  }

  get<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.call<T>('GET', path)
  }
}

/** True for a 404 from the API server. */
export function isNotFound(e: unknown): boolean {
  return e instanceof ApiError && e.code === 404
}
