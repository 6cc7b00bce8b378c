// Facts kept between runs so templates can read the facts of hosts outside --limit. An entry belongs to one
// inventory and one address: the same host name in another cluster's inventory (every cluster has a node1)
// never reads it. Files are 0600 in a 0700 directory: facts describe the machine (addresses, versions).

import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type { Facts } from '../task.js'
import { writeFileAtomic } from '../write-file-atomic.js'

export interface FactsCache {
  load(host: string): Facts | undefined
  save(host: string, facts: Facts): void
}

/** $XDG_CACHE_HOME/kubeseed/facts (~/.cache when XDG_CACHE_HOME is unset). */
export function factsCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'kubeseed', 'facts')
}

export interface FactsCacheKey {
  /** The inventory paths of the run, resolved. */
  inventory: string
  /** Where the host is reached ("address:port"). */
  address(host: string): string
}

interface Entry {
  inventory: string
  address: string
  facts: Facts
}

export function fileFactsCache(key: FactsCacheKey, dir = factsCacheDir()): FactsCache {
  const identity = (host: string) => ({ inventory: key.inventory, address: key.address(host) })
  const file = (host: string) => {
    const id = identity(host)
    return join(dir, `${createHash('sha256').update(`${id.inventory}\0${id.address}`).digest('hex').slice(0, 40)}.json`)
  }
  return {
    load: (host) => {
      const f = file(host)
      if (!existsSync(f)) return undefined
      const e = JSON.parse(readFileSync(f, 'utf8')) as Entry
      const id = identity(host)
      return e.inventory === id.inventory && e.address === id.address ? e.facts : undefined
    },
    save: (host, facts) => {
      mkdirSync(dir, { recursive: true, mode: 0o700 })
      chmodSync(dir, 0o700)
      writeFileAtomic(file(host), JSON.stringify({ ...identity(host), facts } satisfies Entry), 0o600)
    },
  }
}
