// `npm run build`, after tsc: the CLI as one ES module file (dist/src/cli.js, replacing tsc's), so a run
// loads one file instead of some two hundred. Command modules stay lazily evaluated inside the bundle.
// ssh2, handlebars and listr2 stay in node_modules, required on first use (src/engine/load-on-use.ts). ssh2 and
// esbuild must besides: they find files relative to their own (ssh2's optional native crypto binding,
// esbuild's binary, which builds the sandbox's emulated kubeadm family).
import { build } from 'esbuild'
import { chmodSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(dirname(fileURLToPath(import.meta.url)))
const outfile = join(root, 'dist', 'src', 'cli.js')

await build({
  entryPoints: [join(root, 'src', 'cli.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  external: ['ssh2', 'handlebars', 'listr2', 'esbuild'],
  // Bundled CommonJS packages call require() for node's own modules; an ES module has none of its own.
  banner: { js: "import { createRequire as __ksCreateRequire } from 'node:module'; const require = __ksCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
chmodSync(outfile, 0o755)
