// The bundled CLI (scripts/bundle-cli.mjs) is an ES module: a CommonJS package bundled into it that finds its
// own files through __filename or __dirname breaks only when that code runs (esbuild's binary, found that
// way, broke `kubeseed demo`). Such packages stay external; this reads the built bundle for any that slipped in.

import { expect } from 'chai'
import { existsSync, readFileSync } from 'node:fs'
import { CLI } from '../../harness/cli.js'

describe('CLI bundle', () => {
  it('uses neither __filename nor __dirname, which an ES module does not have', () => {
    expect(existsSync(CLI), `${CLI} is missing: run npm run build`).to.equal(true)
    const text = readFileSync(CLI, 'utf8')
    // A bundled ES module may declare its own (yargs does: `var __dirname = fileURLToPath(import.meta.url)`).
    const declared = new Set([...text.matchAll(/(?:var|let|const)\s+(__filename|__dirname)\s*=/g)].map((m) => m[1]))
    const bare = text.split('\n').map((l, i) => ({ l, n: i + 1 }))
      .filter(({ l }) => [...l.matchAll(/(?<![\w$.])(__filename|__dirname)(?![\w$])/g)].some((m) => !declared.has(m[1])))
    expect(bare.map(({ l, n }) => `${CLI}:${n}: ${l.trim().slice(0, 120)}`)).to.deep.equal([])
  })

  it('imports esbuild from node_modules rather than carrying it', () => {
    expect(readFileSync(CLI, 'utf8')).to.match(/(?:from |import\()["']esbuild["']/)
  })
})
