// The compile cache (src/engine/compile-cache.ts) in fresh Node processes, as the CLI uses it: code saved at
// exit is used by the next process, a changed source of the same length is compiled afresh (V8 alone would
// take the old code), a file with import() is Node's to compile, and a cache directory that cannot be made
// leaves loading as it was.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'

const CACHE_MODULE = join(PACKAGE_ROOT, 'src', 'engine', 'compile-cache.ts')

/** Requires `file` in a new process with the cache in `dir`; returns what it exported and the cache's counts. */
function load(dir: string, file: string): { value: unknown; used: number; compiled: number; installed: boolean } {
  const script = `
    import { createRequire } from 'node:module'
    import { installCompileCache } from ${JSON.stringify(CACHE_MODULE)}
    const stats = installCompileCache(${JSON.stringify(dir)})
    const value = await createRequire(import.meta.url)(${JSON.stringify(file)})
    console.log(JSON.stringify({ value, installed: !!stats, ...(stats ?? { used: 0, compiled: 0 }) }))`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: PACKAGE_ROOT })
  expect(r.status, r.stderr).to.equal(0)
  return JSON.parse(r.stdout.trim().split('\n').pop()!)
}

describe('compile cache', function () {
  this.timeout(60_000)
  const work = mkdtempSync(join(tmpdir(), 'ks-compile-cache-'))

  it('uses the code the previous process saved', () => {
    const dir = join(work, 'cache-a')
    const file = join(work, 'a.cjs')
    writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = [1, 2, 3].map((n) => n * 2)\n')
    const first = load(dir, file)
    expect(first).to.deep.include({ value: [2, 4, 6], used: 0, compiled: 1 })
    expect(readdirSync(dir)).to.have.length(1)
    const second = load(dir, file)
    expect(second).to.deep.include({ value: [2, 4, 6], used: 1, compiled: 0 })
  })

  it('compiles a changed source of the same length afresh', () => {
    const dir = join(work, 'cache-b')
    const file = join(work, 'b.cjs')
    writeFileSync(file, 'module.exports = "one"\n')
    expect(load(dir, file)).to.deep.include({ value: 'one', compiled: 1 })
    writeFileSync(file, 'module.exports = "two"\n')
    expect(load(dir, file)).to.deep.include({ value: 'two', used: 0, compiled: 1 })
    expect(load(dir, file)).to.deep.include({ value: 'two', used: 1, compiled: 0 })
  })

  it('leaves a file with import() to Node, which alone can load what it imports', () => {
    const dir = join(work, 'cache-d')
    const file = join(work, 'd.cjs')
    writeFileSync(file, 'module.exports = import("node:path").then((p) => p.sep)\n')
    for (let run = 0; run < 2; run++) expect(load(dir, file)).to.deep.include({ value: '/', used: 0, compiled: 0 })
  })

  it('leaves loading as it was when the cache directory cannot be made', () => {
    const parent = join(work, 'read-only')
    writeFileSync(join(work, 'c.cjs'), 'module.exports = 42\n')
    writeFileSync(parent, 'a file, not a directory')
    chmodSync(parent, 0o400)
    expect(load(join(parent, 'cache'), join(work, 'c.cjs'))).to.deep.include({ value: 42, installed: false })
  })
})
