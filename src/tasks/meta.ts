// meta: instructions for the runner itself. The result carries `data.meta` with the action; the runner
// reads it (flush handlers now, end the play, end this host...).

import type { LocalTaskType } from '../engine/task.js'

export const META_ACTIONS = ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'noop', 'clear_host_errors', 'refresh_inventory', 'clear_facts'] as const
export type MetaAction = (typeof META_ACTIONS)[number]

export interface MetaParams {
  free_form: MetaAction
}

export const meta: LocalTaskType<MetaParams> = {
  kind: 'local',
  name: 'meta',
  freeForm: 'free_form',
  supportsCheck: true,
  params: {
    free_form: { type: 'string', required: true, choices: META_ACTIONS },
  },
  run(p) {
    return { changed: false, data: { meta: p.free_form } }
  },
}
