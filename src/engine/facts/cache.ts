// Facts kept between runs, one JSON file per host, so templates can read the facts of hosts outside --limit.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Facts } from '../task.js'

export interface FactsCache {
  load(host: string): Facts | undefined
  save(host: string, facts: Facts): void
}

/** $XDG_CACHE_HOME/kubeseed/facts (~/.cache when XDG_CACHE_HOME is unset). */
export function factsCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubeseed', 'facts')
}

export function fileFactsCache(dir = factsCacheDir()): FactsCache {
  return {
    load: (host) => {
      const f = join(dir, `${host}.json`)
      return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as Facts) : undefined
    },
    save: (host, facts) => {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${host}.json`), JSON.stringify(facts))
    },
  }
}
