// An air-gapped sandbox, end to end: nodes up, the sandbox's offline bundle built (Debian-made runtime
// pieces + the emulated kubeadm family), verified, and served from the bastion. The demo and the air-gap
// tests both stand on this, so they exercise exactly what a user runs.

import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { dump } from 'js-yaml'
import { buildSandboxBundle, type SandboxBundle } from './bundle.js'
import { serveBundle, type MirrorHandle } from '../offline/serve.js'
import { SERVE_STATE_DIR } from '../offline/bundle-index.js'
import { verifyBundle } from '../offline/verify.js'
import { CACHE_DIR } from './rootfs.js'
import { buildEmulatedBinaries } from './emulated/build.js'
import { sandboxUp, type SandboxUpResult } from './up.js'
import { statePaths } from './state.js'

/** The Kubernetes release the sandbox emulates (a release of offline/). */
export const SANDBOX_KUBE_VERSION = '1.36.4'

export interface AirgapOptions {
  name?: string
  nodes?: number
  subnet?: string
  controlPlanes?: number
  etcd?: number
  kubeVersion?: string
  /** Mirror ports on the bastion (0: any free one). */
  httpPort?: number
  registryPort?: number
  /**
   * Serve a copy of the bundle made in this directory instead of the cached bundle, so a test may change what
   * the mirror serves; the nodes still check against the cached bundle's manifest.
   */
  serveCopyIn?: string
  progress?: Writable
}

export interface AirgapSandbox {
  sandbox: SandboxUpResult
  bundle: SandboxBundle
  mirror: MirrorHandle
  /** Pass as -i: the sandbox's inventory directory, with the mirror's variables in mirror.yaml beside hosts.yaml. */
  inventory: string
  /** The bundle directory the mirror serves (the cached bundle, or the copy of serveCopyIn). */
  served: string
  stop(): Promise<void>
}

export async function airgapSandbox(o: AirgapOptions = {}): Promise<AirgapSandbox> {
  const say = (l: string) => o.progress?.write(`${l}\n`)
  const kubeVersion = o.kubeVersion ?? SANDBOX_KUBE_VERSION
  say(`sandbox: bringing up ${o.nodes ?? 3} nodes`)
  const sandbox = await sandboxUp({ name: o.name, nodes: o.nodes, subnet: o.subnet, controlPlanes: o.controlPlanes, etcd: o.etcd })
  say(`sandbox: building the emulated kubeadm, kubelet and kubectl ${kubeVersion}`)
  const binDir = join(CACHE_DIR, 'emulated', kubeVersion)
  const binaries = await buildEmulatedBinaries(binDir, kubeVersion)
  say('sandbox: building the offline bundle from Debian packages (cached after the first time)')
  const bundle = await buildSandboxBundle({
    kubeVersion,
    extraFiles: binaries.map((b) => ({ name: b.name, path: b.path })),
    progress: o.progress,
  })
  const report = await verifyBundle({ dir: bundle.dir })
  say(`sandbox: bundle verified (${report.checked} files)`)
  const served = o.serveCopyIn ?? bundle.dir
  if (o.serveCopyIn) cpSync(bundle.dir, o.serveCopyIn, { recursive: true, filter: (src) => !src.endsWith(`/${SERVE_STATE_DIR}`) })
  const mirror = await serveBundle({
    dir: served, listen: sandbox.state.bastion, port: o.httpPort, registryPort: o.registryPort, progress: o.progress,
  })
  const inventory = statePaths(sandbox.state.stateDir).inventory
  mkdirSync(inventory, { recursive: true })
  const vars = {
    ...mirror.groupVars,
    kube_version: bundle.kubeVersion,
    kubeseed_manifest_files: [bundle.manifestFile],
  }
  writeFileSync(join(inventory, 'mirror.yaml'),
    `# Written by kubeseed: the air-gapped sandbox's mirror on the bastion.\n${dump({ all: { vars } })}`)
  return {
    sandbox, bundle, mirror, inventory, served,
    stop: () => mirror.stop(),
  }
}
