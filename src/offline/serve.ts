// `kubeseed offline serve`: the mirror on the bastion. HTTP for files/ and the apt repository, a real OCI
// registry holding every image of the bundle, and the group_vars that point kubespray-style nodes at it.

import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { dump } from 'js-yaml'
import { readFile } from 'node:fs/promises'
import { readBundleIndex, SERVE_STATE_DIR, bundlePaths, type BundleIndex } from './bundle-index.js'
import { checkReleaseSignature } from './apt-signing.js'
import { BundleError } from './manifest-error.js'
import { startFileServer } from './file-server.js'
import { startRegistry } from './registry.js'
import { runCommand } from './run-command.js'

export interface ServeOptions {
  dir: string
  /** Address to listen on: the sandbox bridge's bastion address, or loopback. */
  listen: string
  /** HTTP port (default 8080; 0 picks a free one). */
  port?: number
  /** Registry port (default 5000). */
  registryPort?: number
  progress?: Writable
}

export interface RegistryMirror {
  prefix: string
  mirrors: Array<{ host: string; capabilities: Array<'pull' | 'resolve'>; skip_verify: boolean }>
}

export interface MirrorGroupVars {
  files_repo: string
  registry_host: string
  debian_repo: string
  /** The armored public key the bundle's apt repository is signed with; nodes install it as the only key for debian_repo. */
  kubeseed_mirror_apt_key: string
  kubeseed_mirror_apt_key_fingerprint: string
  /** "repo:tag" -> the manifest digest recorded at build time; nodes pull repo@digest and nothing else. */
  kubeseed_image_digests: Record<string, string>
  containerd_registries_mirrors: RegistryMirror[]
}

export interface MirrorHandle {
  groupVars: MirrorGroupVars
  /** The group_vars as YAML, ready for inventory/group_vars/all/offline.yml. */
  yaml: string
  httpPort: number
  registryAddress: string
  registryPid: number
  /** Images as pushed: upstream reference -> reference in the mirror. */
  images: Array<{ source: string; mirror: string }>
  stop(): Promise<void>
}

/**
 * Where an image lives in the mirror: the upstream path without its registry host, which is what kubespray's
 * `kube_image_repo: "{{ registry_host }}"` (and quay/docker/ghcr alike) expects, and also what containerd asks a
 * registry mirror for (registry.k8s.io/pause -> MIRROR/v2/pause/...).
 */
export function mirrorPath(repo: string): { registry: string; path: string } {
  const slash = repo.indexOf('/')
  const first = slash < 0 ? '' : repo.slice(0, slash)
  if (slash < 0 || !(first.includes('.') || first.includes(':') || first === 'localhost')) {
    return { registry: 'docker.io', path: slash < 0 ? `library/${repo}` : repo }
  }
  return { registry: first, path: repo.slice(slash + 1) }
}

/** The nodes' variables for a bundle served at httpBase and registryAddress. Pure. */
export function mirrorGroupVars(httpBase: string, registryAddress: string, index: Pick<BundleIndex, 'images' | 'aptKey'>): MirrorGroupVars {
  const registries = [...new Set(index.images.map((i) => mirrorPath(i.repo).registry))].sort()
  return {
    files_repo: `${httpBase}/files`,
    registry_host: registryAddress,
    debian_repo: `${httpBase}/${bundlePaths.debianRepo}`,
    kubeseed_mirror_apt_key: index.aptKey.publicKey,
    kubeseed_mirror_apt_key_fingerprint: index.aptKey.fingerprint,
    kubeseed_image_digests: Object.fromEntries(index.images.map((i) => [`${i.repo}:${i.tag}`, i.manifestDigest])),
    // Plain HTTP: there is no TLS to skip; what is pulled is checked against its pinned digest instead.
    containerd_registries_mirrors: registries.map((prefix) => ({
      prefix,
      mirrors: [{ host: `http://${registryAddress}`, capabilities: ['pull', 'resolve'], skip_verify: false }],
    })),
  }
}

export function groupVarsYaml(vars: MirrorGroupVars): string {
  const head = [
    '# Offline mirror made by `kubeseed offline serve`.',
    '# Nodes pull images under their upstream names through containerd_registries_mirrors; registry_host serves',
    '# the same images for kubespray-style *_image_repo overrides, each pulled by the digest in kubeseed_image_digests.',
    `# The apt repository is signed by key ${vars.kubeseed_mirror_apt_key_fingerprint}, made when the bundle was built;`,
    '# nodes trust that key (kubeseed_mirror_apt_key) for debian_repo only. Keep this file: the mirror never serves the key.',
  ]
  return `${head.join('\n')}\n${dump(vars, { lineWidth: -1 })}`
}

export async function serveBundle(opts: ServeOptions): Promise<MirrorHandle> {
  const say = (line: string) => opts.progress?.write(`${line}\n`)
  const index = await readBundleIndex(opts.dir)
  await checkReleaseSignature(join(opts.dir, bundlePaths.debianRepo), index.aptKey)
  say(`apt repository signed by the bundle's key ${index.aptKey.fingerprint}`)
  const http = await startFileServer({
    files: join(opts.dir, 'files'),
    [bundlePaths.debianRepo]: join(opts.dir, bundlePaths.debianRepo),
  }, opts.listen, opts.port ?? 8080)
  const httpBase = `http://${opts.listen}:${http.port}`
  say(`HTTP mirror on ${httpBase} (files/, ${bundlePaths.debianRepo}/)`)
  let registry
  try {
    registry = await startRegistry({ stateDir: join(opts.dir, SERVE_STATE_DIR), host: opts.listen, port: opts.registryPort ?? 5000 })
  } catch (e) {
    await http.close()
    throw e
  }
  say(`OCI registry on http://${registry.address} (pid ${registry.pid})`)
  const stop = async () => {
    await registry.stop()
    await http.close()
  }
  const images: MirrorHandle['images'] = []
  try {
    for (const img of index.images) {
      const dest = `${registry.address}/${mirrorPath(img.repo).path}:${img.tag}`
      const digestFile = join(opts.dir, SERVE_STATE_DIR, 'pushed.digest')
      await runCommand('skopeo', ['copy', '--quiet', '--preserve-digests', '--digestfile', digestFile, '--dest-tls-verify=false',
        `oci-archive:${join(opts.dir, img.archive)}`, `docker://${dest}`])
      const pushed = (await readFile(digestFile, 'utf8')).trim()
      if (pushed !== img.manifestDigest) {
        throw new BundleError(`image ${img.repo}:${img.tag} in ${img.archive} has digest ${pushed}, but the bundle recorded ${img.manifestDigest}`,
          undefined, 'rebuild the bundle with `kubeseed offline build`; do not serve an archive changed after the build')
      }
      images.push({ source: `${img.repo}:${img.tag}`, mirror: dest })
      say(`pushed ${img.repo}:${img.tag} -> ${dest}@${pushed}`)
    }
  } catch (e) {
    await stop()
    throw e
  }
  const groupVars = mirrorGroupVars(httpBase, registry.address, index)
  return { groupVars, yaml: groupVarsYaml(groupVars), httpPort: http.port, registryAddress: registry.address, registryPid: registry.pid, images, stop }
}
