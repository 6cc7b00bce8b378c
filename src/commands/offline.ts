// `kubeseed offline list|build|verify|serve`: one manifest, one bundle, one mirror.

import { join } from 'node:path'
import type { Writable } from 'node:stream'
import type { Argv } from 'yargs'
import { SERVE_STATE_DIR } from '../offline/bundle-index.js'
import { buildBundle } from '../offline/build.js'
import { listArtifacts } from '../offline/list.js'
import { serveBundle, type ServeOptions } from '../offline/serve.js'
import { verifyBundle } from '../offline/verify.js'
import { UsageError } from '../engine/errors.js'
import { writeFileAtomic } from '../engine/write-file-atomic.js'
import { prepareInventory } from '../engine/inventory/prepared.js'
import { untilStopSignal } from './stop-signal.js'

/** kube_version as the inventory sets it (first host of k8s_cluster), for `offline list -i`. */
function inventoryKubeVersion(paths: string[]): string {
  const inv = prepareInventory(paths, () => {})
  const hosts = inv.groups.has('k8s_cluster') ? inv.groupHosts('k8s_cluster') : [...inv.hosts.keys()]
  for (const h of hosts) {
    const scope = inv.scope(h)
    if (scope.has('kube_version')) return String(scope.get('kube_version'))
  }
  throw new UsageError('the inventory sets no kube_version', undefined, 'set kube_version in group_vars or pass --kube-version')
}

/**
 * Run the mirror until SIGINT or SIGTERM. The variables the nodes need go to `varsFile` as YAML (a script or
 * a test reads them from there, no parsing of output); progress goes to `progress`. Resolves once stopped.
 */
async function serveForeground(opts: ServeOptions & { varsFile: string; progress: Writable }): Promise<void> {
  const handle = await serveBundle(opts)
  try {
    writeFileAtomic(opts.varsFile, handle.yaml, 0o644)
  } catch (e) {
    await handle.stop()
    throw new UsageError(`cannot write the mirror variables to ${opts.varsFile}: ${(e as Error).message}`, undefined, 'give --vars-file a writable path')
  }
  opts.progress.write(`mirror variables written to ${opts.varsFile} (copy it to inventory/group_vars/all/offline.yml)\n`)
  opts.progress.write('Serving; stop with Ctrl-C.\n')
  await untilStopSignal()
  await handle.stop()
}

export function offlineCommands<T>(cli: Argv<T>, setCode: (c: number) => void): Argv<T> {
  return cli.command('offline', 'Artifacts for air-gapped installs: list, build a bundle, verify it, serve it', (y) => y
    .command('list', 'Files, images and OS packages for a Kubernetes version', (s) => s
      .option('kube-version', { type: 'string' })
      .option('inventory', { alias: 'i', type: 'string', array: true, describe: 'take kube_version from this inventory' })
      .option('arch', { type: 'string', default: 'amd64' })
      .option('format', { choices: ['text', 'json'] as const, default: 'text' as const }),
    async (a) => {
      const kubeVersion = a.kubeVersion ?? (a.inventory ? inventoryKubeVersion(a.inventory as string[]) : undefined)
      if (!kubeVersion) throw new UsageError('which Kubernetes version?', undefined, 'pass --kube-version or -i INVENTORY')
      await listArtifacts({ kubeVersion, arch: a.arch, format: a.format, out: process.stdout })
      setCode(0)
    })
    .command('build', 'Fetch (or take from --from) every artifact into a bundle directory, checking sha256', (s) => s
      .option('out', { alias: 'o', type: 'string', demandOption: true })
      .option('kube-version', { type: 'string', demandOption: true })
      .option('arch', { type: 'string', default: 'amd64' })
      .option('from', { type: 'string', describe: 'a directory holding the artifacts already' })
      .option('files-repo', { type: 'string', describe: 'download from this files_repo mirror instead of upstream' }),
    async (a) => {
      const idx = await buildBundle({ out: a.out, kubeVersion: a.kubeVersion, arch: a.arch, from: a.from, filesRepo: a.filesRepo, progress: process.stderr })
      process.stdout.write(`bundle ready: ${a.out} (${Object.keys(idx.files).length} files), apt repository signed by key ${idx.aptKey.fingerprint}\n`)
      setCode(0)
    })
    .command('verify <dir>', 'Re-check every sha256 of a bundle', (s) => s.positional('dir', { type: 'string', demandOption: true }),
      async (a) => {
        const r = await verifyBundle({ dir: String(a.dir), out: process.stdout })
        setCode(r.ok ? 0 : 4)
      })
    .command('serve <dir>', 'Serve a bundle: files + apt repository over HTTP, images from a local OCI registry', (s) => s
      .positional('dir', { type: 'string', demandOption: true })
      .option('listen', { type: 'string', default: '127.0.0.1' })
      .option('port', { type: 'number', default: 8080 })
      .option('registry-port', { type: 'number', default: 5000 })
      .option('vars-file', { type: 'string', describe: 'where to write the variables the nodes need, as YAML (default: DIR/.serve/offline.yml)' }),
    async (a) => {
      const varsFile = a.varsFile ?? join(String(a.dir), SERVE_STATE_DIR, 'offline.yml')
      await serveForeground({ dir: String(a.dir), listen: a.listen, port: a.port, registryPort: a.registryPort, varsFile, progress: process.stderr })
      setCode(0)
    })
    .demandCommand(1, 'name an offline command: list, build, verify or serve'))
}
