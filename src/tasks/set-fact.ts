// set_fact: set variables for the host for the rest of the run (controller only). Any key is allowed.

import type { LocalTaskType } from '../engine/task.js'

export type SetFactParams = Record<string, unknown> & { cacheable: boolean }

export const setFact: LocalTaskType<SetFactParams> = {
  kind: 'local',
  name: 'set_fact',
  supportsCheck: true,
  params: {
    cacheable: { type: 'bool', default: false },
    // '*': every other key is a fact to set, of any type.
    '*': { type: 'any' },
  },
  run(p) {
    const facts: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(p)) if (k !== 'cacheable') facts[k] = v
    return { changed: false, facts, data: { ansible_facts: facts } }
  },
}
