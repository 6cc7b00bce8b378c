// fail: stop the host with a message (controller only).

import type { LocalTaskType } from '../engine/task.js'

export interface FailParams {
  msg: string
}

export const fail: LocalTaskType<FailParams> = {
  kind: 'local',
  name: 'fail',
  supportsCheck: true,
  params: {
    msg: { type: 'string', default: 'Failed as requested from task' },
  },
  run(p) {
    return { failed: true, changed: false, msg: p.msg }
  },
}
