// Container images without any daemon: one busybox layer, a config and a manifest in an OCI layout,
// packed as an OCI archive that skopeo reads (`oci-archive:PATH`). Used for the sandbox's images.

import { mkdtemp, mkdir, copyFile, symlink, writeFile, rm, readFile, rename } from 'node:fs/promises'
import { createHash } from 'node:crypto'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { runCommand } from '../offline/run-command.js'

export interface OciLayer { gz: Buffer; digest: string; diffId: string }

const sha = (b: Buffer | string) => `sha256:${createHash('sha256').update(b).digest('hex')}`

/** A reproducible layer holding Debian's static busybox as /bin/busybox and /bin/sh. */
export async function busyboxLayer(busybox = '/bin/busybox'): Promise<OciLayer> {
  const scratch = await mkdtemp('/tmp/kubeseed-layer-')
  try {
    const root = join(scratch, 'root')
    await mkdir(join(root, 'bin'), { recursive: true })
    await copyFile(busybox, join(root, 'bin', 'busybox'))
    await symlink('busybox', join(root, 'bin', 'sh'))
    const tgz = join(scratch, 'layer.tar.gz')
    await runCommand('tar', ['--create', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0',
      '--file', join(scratch, 'layer.tar'), '-C', root, 'bin'])
    await runCommand('gzip', ['-n', '-9', join(scratch, 'layer.tar')])
    const gz = await readFile(tgz)
    return { gz, digest: sha(gz), diffId: sha(gunzipSync(gz)) }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
}

export interface OciImageSpec { repo: string; tag: string; arch: string; labels?: Record<string, string> }

/** Write an OCI archive for `spec` with `layer` at `dest` (atomically, via DEST.part). */
export async function writeOciArchive(spec: OciImageSpec, layer: OciLayer, dest: string): Promise<string> {
  const config = Buffer.from(JSON.stringify({
    created: '1970-01-01T00:00:00Z',
    architecture: spec.arch,
    os: 'linux',
    config: { Entrypoint: ['/bin/sh'], Labels: { 'org.opencontainers.image.title': `${spec.repo}:${spec.tag}`, ...spec.labels } },
    rootfs: { type: 'layers', diff_ids: [layer.diffId] },
    history: [{ created: '1970-01-01T00:00:00Z', created_by: 'kubeseed busybox layer' }],
  }))
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer.digest, size: layer.gz.length }],
  }))
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [{
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: sha(manifest),
      size: manifest.length,
      annotations: { 'org.opencontainers.image.ref.name': spec.tag },
    }],
  }
  const scratch = await mkdtemp('/tmp/kubeseed-oci-')
  try {
    const blobs = join(scratch, 'blobs', 'sha256')
    await mkdir(blobs, { recursive: true })
    for (const blob of [config, manifest, layer.gz]) await writeFile(join(blobs, sha(blob).slice(7)), blob)
    await writeFile(join(scratch, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }))
    await writeFile(join(scratch, 'index.json'), JSON.stringify(index))
    await mkdir(dirname(dest), { recursive: true })
    await runCommand('tar', ['--create', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0',
      '--file', `${dest}.part`, '-C', scratch, 'blobs', 'index.json', 'oci-layout'])
    await rename(`${dest}.part`, dest)
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
  return sha(manifest)
}
