// V8's compiled code for every CommonJS file the CLI loads (its own bundle, ssh2, handlebars, listr2), kept
// between runs: Node 20 compiles each from source on every start otherwise (module.enableCompileCache is
// Node 22's), which is a good part of a small run's fixed cost. The code a run compiled lazily is saved at
// exit, so the next run finds the functions of its path ready too.
//
// V8 accepts cached code for a source of the same length, not of the same text: each entry starts with the
// SHA-256 of the source it was made from, and any other source is compiled afresh (and its entry replaced).

import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import Module from 'node:module'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import { Script } from 'node:vm'

const HASH_BYTES = 32
const DYNAMIC_IMPORT = /\bimport\s*\(/

interface ModuleInternals {
  exports: unknown
  require(id: string): unknown
  _compile(content: string, filename: string): unknown
}

interface ModuleStatics {
  wrap(content: string): string
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string
  _cache: Record<string, unknown>
  _extensions: Record<string, unknown>
  prototype: ModuleInternals
}

/** The user's cache directory for this Node version (V8 rejects another version's code anyway). */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache')
  return join(base, 'kubeseed', `v8-${process.version}`)
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** The cached code of `filename` if it was made from exactly `source`. */
function readEntry(file: string, sourceHash: Buffer): Buffer | undefined {
  let data: Buffer
  try {
    data = readFileSync(file)
  } catch {
    return undefined
  }
  if (data.length <= HASH_BYTES || !data.subarray(0, HASH_BYTES).equals(sourceHash)) return undefined
  return data.subarray(HASH_BYTES)
}

function writeEntry(file: string, sourceHash: Buffer, code: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, Buffer.concat([sourceHash, code]), { mode: 0o600 })
  renameSync(tmp, file)
}

/** What the cache did so far in this process. */
export interface CompileCacheStats {
  /** Files compiled with their cached code. */
  used: number
  /** Files compiled from source (no entry, another source, or code V8 refused): saved at exit. */
  compiled: number
}

/**
 * From now on, CommonJS files are compiled with cached code from `dir` when it matches, and the code of
 * those that had none is written there at exit. A cache that cannot be read or written only costs the
 * compile it would have saved; it never fails the run. Returns undefined when `dir` cannot be made.
 */
export function installCompileCache(dir: string = defaultCacheDir()): CompileCacheStats | undefined {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
  } catch {
    return undefined
  }
  const stats: CompileCacheStats = { used: 0, compiled: 0 }
  const M = Module as unknown as ModuleStatics
  const toSave: Array<{ file: string; hash: Buffer; script: Script }> = []
  const compileFromSource = M.prototype._compile
  M.prototype._compile = function compileCached(this: ModuleInternals, content: string, filename: string): unknown {
    // import() needs the loader Node gives its own compiles; a vm script given cached code loses it on
    // Node 20 (listr2 loads its renderer's ES modules so). Such files are compiled as without a cache.
    if (DYNAMIC_IMPORT.test(content)) return compileFromSource.call(this, content, filename)
    const hash = sha256(content)
    const file = join(dir, sha256(filename).toString('hex').slice(0, 40))
    const cachedData = readEntry(file, hash)
    // A leading #! line is Node's to skip; blanked, so line numbers stay.
    const script = new Script(M.wrap(content.replace(/^#!.*/, '')), { filename, cachedData })
    if (!cachedData || script.cachedDataRejected) {
      stats.compiled++
      toSave.push({ file, hash, script })
    } else {
      stats.used++
    }
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown
    const require = Object.assign((id: string) => this.require(id), {
      resolve: (request: string, options?: unknown) => M._resolveFilename(request, this, false, options),
      cache: M._cache,
      extensions: M._extensions,
      main: process.mainModule,
    })
    return wrapper.call(this.exports, this.exports, require, this, filename, dirname(filename))
  }
  process.once('exit', () => {
    for (const e of toSave) {
      try {
        writeEntry(e.file, e.hash, e.script.createCachedData())
      } catch {
        // A read-only or full cache directory: the next run compiles from source, as without a cache.
      }
    }
  })
  return stats
}
