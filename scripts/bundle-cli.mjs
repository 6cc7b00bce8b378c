// `npm run build`, after tsc: the CLI as one CommonJS file (dist/src/cli-bundle.cjs), so a run loads one
// file instead of some two hundred, and a small launcher (dist/src/cli.js, replacing tsc's) that turns on
// the compile cache before loading it (src/cli-launch.ts). CommonJS, because Node 20 can cache compiled
// code only for scripts, not ES modules. Command modules stay lazily evaluated inside the bundle.
// ssh2, handlebars and listr2 stay in node_modules, required on first use (src/engine/load-on-use.ts). ssh2 and
// esbuild must besides: they find files relative to their own (ssh2's optional native crypto binding,
// esbuild's binary, which builds the sandbox's emulated kubeadm family).
import { build } from 'esbuild'
import { chmodSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const outDir = join(root, 'dist', 'src')
const launcher = join(outDir, 'cli.js')

await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile: join(outDir, 'cli-bundle.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['ssh2', 'handlebars', 'listr2', 'esbuild'],
  // The sources are ES modules: their import.meta.url is this file's URL (it sits where tsc's cli.js does).
  define: { 'import.meta.url': '__ksModuleUrl' },
  banner: { js: "var __ksModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
  // import('esbuild') as a require: a script compiled with cached code has no loader for import().
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
})
await build({
  entryPoints: [join(root, 'src', 'cli-launch.ts')],
  outfile: launcher,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
})
chmodSync(launcher, 0o755)
