// The mirror's HTTP side: files/ (files_repo) and the apt repository (debian_repo) of a bundle.

import { createServer, type Server } from 'node:http'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join, normalize, sep } from 'node:path'
import type { AddressInfo } from 'node:net'

/** URL prefix -> directory it serves. */
export type Mounts = Record<string, string>

export interface FileServer { server: Server; port: number; close(): Promise<void> }

export async function startFileServer(mounts: Mounts, host: string, port: number): Promise<FileServer> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end()
        return
      }
      const file = resolveRequest(mounts, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname))
      const st = file ? await stat(file).catch(() => undefined) : undefined
      if (!file || !st?.isFile()) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n')
        return
      }
      res.writeHead(200, { 'Content-Length': st.size, 'Content-Type': 'application/octet-stream' })
      if (req.method === 'HEAD') {
        res.end()
        return
      }
      createReadStream(file).on('error', () => res.destroy()).pipe(res)
    })().catch(() => res.destroy())
  })
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolveListen())
  })
  const actual = (server.address() as AddressInfo).port
  return {
    server,
    port: actual,
    close: () => new Promise<void>((r) => {
      server.close(() => r())
      server.closeAllConnections()
    }),
  }
}

/** The file a URL path names, or undefined when it is outside every mount (no ../ escapes). */
export function resolveRequest(mounts: Mounts, urlPath: string): string | undefined {
  for (const [prefix, dir] of Object.entries(mounts)) {
    const p = `/${prefix.replace(/^\/+|\/+$/g, '')}/`
    if (!urlPath.startsWith(p)) continue
    const rest = normalize(urlPath.slice(p.length))
    if (rest.startsWith('..') || rest.includes(`${sep}..${sep}`) || rest.startsWith(sep)) return undefined
    return join(dir, rest)
  }
  return undefined
}
