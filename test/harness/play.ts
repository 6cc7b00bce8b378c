// Runs a playbook in-process against local-connection hosts and collects its events.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '../../src/engine/report/events.js'
import { runWith } from '../../src/commands/play.js'

export interface PlayOutcome {
  code: number
  events: RunEvent[]
  results: Array<Extract<RunEvent, { type: 'result' }>>
  recap: Extract<RunEvent, { type: 'recap' }>
  dir: string
}

/** `hosts`: names of local hosts (all in group `all` and in group `g`), `playbook`: YAML text. */
export async function playLocal(playbook: string, opts: { hosts?: string[]; extraVars?: Record<string, unknown>; check?: boolean; diff?: boolean; tags?: string[]; skipTags?: string[]; limit?: string; forks?: number; inventory?: string; dir?: string; stopAfter?: (e: RunEvent) => boolean } = {}): Promise<PlayOutcome> {
  // `dir`: run again in the same project (same inventory path), as a user's second run is.
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'ks-play-'))
  const hosts = opts.hosts ?? ['h1', 'h2', 'h3']
  writeFileSync(join(dir, 'hosts.ini'), opts.inventory ?? `[g]\n${hosts.map((h) => `${h} ansible_connection=local`).join('\n')}\n`)
  writeFileSync(join(dir, 'site.yaml'), playbook)
  const events: RunEvent[] = []
  // `stopAfter`: the user presses Ctrl-C as soon as this event is seen.
  const stop = new AbortController()
  const { code } = await runWith({
    inventories: [join(dir, 'hosts.ini')], playbook: join(dir, 'site.yaml'),
    sink: { emit: (e) => { events.push(e); if (opts.stopAfter?.(e)) stop.abort() } }, signal: stop.signal,
    extraVars: { work: dir, ...(opts.extraVars ?? {}) }, limit: opts.limit, tags: opts.tags ?? [], skipTags: opts.skipTags ?? [],
    check: opts.check ?? false, diff: opts.diff ?? false, forks: opts.forks ?? 10,
  })
  const recap = events.find((e) => e.type === 'recap') as PlayOutcome['recap']
  return { code, events, results: events.filter((e): e is PlayOutcome['results'][number] => e.type === 'result'), recap, dir }
}

export function statuses(o: PlayOutcome, task: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of o.results) if (r.task === task) out[r.item ? `${r.host}:${r.item}` : r.host] = r.status
  return out
}
