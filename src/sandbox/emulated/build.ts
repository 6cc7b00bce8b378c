// Bundle the emulated kubeadm, kubelet and kubectl into single executable JS files for the
// sandbox nodes (Debian's nodejs 18, no node_modules there), published like the real binaries.
import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../engine/errors.js'
import { PACKAGE_ROOT } from '../../engine/paths.js'
import { parseKubeVersion, formatVersion } from './versions.js'

export const EMULATED_BINARIES = ['kubeadm', 'kubelet', 'kubectl'] as const

export interface BuiltBinary {
  name: string
  path: string
  sha256: string
}

/** The TypeScript sources of the emulated binaries, in the package's src/ (also when running from dist/). */
function sourceDir(): string {
  const dir = join(PACKAGE_ROOT, 'src', 'sandbox', 'emulated')
  if (existsSync(join(dir, 'bin', 'kubeadm.ts'))) return dir
  throw new UsageError('cannot find the sources of the emulated binaries (src/sandbox/emulated/bin)', undefined, 'run from a kubeseed checkout')
}

export async function buildEmulatedBinaries(outDir: string, kubeVersion: string): Promise<BuiltBinary[]> {
  const v = parseKubeVersion(kubeVersion)
  if (!v) throw new UsageError(`invalid Kubernetes version "${kubeVersion}"`, undefined, 'use a version like 1.32.13 or v1.32.13')
  const { build } = await import('esbuild')
  const src = sourceDir()
  mkdirSync(outDir, { recursive: true })
  const built: BuiltBinary[] = []
  for (const name of EMULATED_BINARIES) {
    const path = join(outDir, name)
    await build({
      entryPoints: [join(src, 'bin', `${name}.ts`)],
      outfile: path,
      bundle: true,
      platform: 'node',
      target: 'node18',
      // CommonJS: Node 18 runs an extensionless script as CommonJS, whatever its syntax.
      format: 'cjs',
      minify: false,
      legalComments: 'none',
      banner: { js: `#!/usr/bin/env node\n// kubeseed sandbox emulation of ${name} ${formatVersion(v)}: not the real ${name}.` },
      define: { 'process.env.KUBESEED_EMULATED_KUBE_VERSION': JSON.stringify(formatVersion(v)) },
      logLevel: 'silent',
    })
    chmodSync(path, 0o755)
    built.push({ name, path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') })
  }
  return built
}
