// Where compiled templates are kept between runs. Handlebars' compiler (its parser, and a code generator that
// builds a source-map tree) costs a small run more than anything else it does on the controller, every run,
// for templates that rarely change; its output is plain JavaScript that handlebars' runtime alone can run.

import { mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '../write-file-atomic.js'

/** Compiled template code by key (a hash of what it was compiled from). */
export interface CompiledTemplateStore {
  get(key: string): string | undefined
  set(key: string, code: string): void
}

let chosen: CompiledTemplateStore | undefined

/** Templates are kept in `s` between runs from now on (the CLI's choice); undefined: every run compiles anew. */
export function keepCompiledTemplates(s: CompiledTemplateStore | undefined): void {
  chosen = s
}

/** The store chosen with keepCompiledTemplates, if any. */
export function compiledTemplateStore(): CompiledTemplateStore | undefined {
  return chosen
}

/** $XDG_CACHE_HOME/kubeseed/templates (~/.cache when XDG_CACHE_HOME is unset). */
export function defaultCompiledTemplatesDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubeseed', 'templates')
}

/**
 * One file per template in `dir` (made 0700 on first write). A store that cannot be read or written only
 * costs the compile it would have saved: it never fails a run.
 */
export function fileCompiledTemplateStore(dir: string = defaultCompiledTemplatesDir()): CompiledTemplateStore {
  return {
    get(key) {
      try {
        return readFileSync(join(dir, key), 'utf8')
      } catch {
        return undefined
      }
    },
    set(key, code) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 })
        writeFileAtomic(join(dir, key), code)
      } catch {
        // Read-only or full: the next run compiles again.
      }
    },
  }
}
