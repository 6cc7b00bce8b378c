// meta: instructions for the runner itself (flush handlers now, end the play, end this host...). The
// actions and what each does live in src/engine/meta-actions.ts, which the runner carries out.

import { META_ACTION_NAMES, type MetaAction } from '../engine/meta-actions.js'
import type { RunControlTaskType } from '../engine/task.js'

export interface MetaParams {
  free_form: MetaAction
}

export const meta: RunControlTaskType<MetaParams> = {
  kind: 'run-control',
  name: 'meta',
  freeForm: 'free_form',
  supportsCheck: true,
  params: {
    free_form: { type: 'string', required: true, choices: META_ACTION_NAMES },
  },
  action: (p) => p.free_form,
}
