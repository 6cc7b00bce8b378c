// The bundled CLI (scripts/bundle-cli.mjs): a small ES module launcher, dist/src/cli.js, and the CLI itself as
// one CommonJS file beside it, so that the compile cache (src/engine/compile-cache.ts) covers it. A CommonJS
// package bundled into it that finds its own files through __filename or __dirname gets the bundle's instead,
// and breaks only when that code runs (esbuild's binary, found that way, broke `kubeseed demo`). Such packages
// stay external; this reads the built bundle for any that slipped in.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { CLI } from '../../harness/cli.js'

const BUNDLE = join(dirname(CLI), 'cli-bundle.cjs')

function bundleText(): string {
  expect(existsSync(BUNDLE), `${BUNDLE} is missing: run npm run build`).to.equal(true)
  return readFileSync(BUNDLE, 'utf8')
}

describe('CLI bundle', () => {
  it('uses __filename and __dirname only where it declares them or takes its own URL from them', () => {
    const text = bundleText()
    const declared = new Set([...text.matchAll(/(?:var|let|const)\s+(__filename|__dirname)\s*=/g)].map((m) => m[1]))
    const bare = text.split('\n').map((l, i) => ({ l, n: i + 1 }))
      .filter(({ l }) => !l.startsWith('var __ksModuleUrl = '))
      .filter(({ l }) => [...l.matchAll(/(?<![\w$.])(__filename|__dirname)(?![\w$])/g)].some((m) => !declared.has(m[1])))
    expect(bare.map(({ l, n }) => `${BUNDLE}:${n}: ${l.trim().slice(0, 120)}`)).to.deep.equal([])
  })

  it('requires esbuild from node_modules rather than carrying it', () => {
    expect(bundleText()).to.match(/require\(["']esbuild["']\)/)
  })

  it('is loaded by the launcher through the compile cache, which the launcher carries', () => {
    const launcher = readFileSync(CLI, 'utf8')
    expect(launcher).to.include('installCompileCache')
    expect(launcher).to.match(/\(["']\.\/cli-bundle\.cjs["']\)/)
    expect(launcher.length, 'the launcher stays small: the CLI itself is in the bundle').to.be.below(10_000)
  })

  it('keeps its compiled code after the first run and takes it, unchanged, on the next', function () {
    this.timeout(60_000)
    const home = mkdtempSync(join(tmpdir(), 'ks-bundle-cache-'))
    const run = () => {
      const r = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: home } })
      expect(r.status, r.stderr).to.equal(0)
      return r.stdout
    }
    const entries = () => {
      const dir = join(home, 'kubeseed', `v8-${process.version}`)
      return Object.fromEntries(readdirSync(dir).map((f) => [f, statSync(join(dir, f)).mtimeMs]))
    }
    const version = run()
    const first = entries()
    expect(Object.keys(first), 'the bundle\'s entry').to.have.length.of.at.least(1)
    expect(run()).to.equal(version)
    // An entry is written only for code compiled afresh: one refused by V8 would be written again.
    expect(entries()).to.deep.equal(first)
  })
})
