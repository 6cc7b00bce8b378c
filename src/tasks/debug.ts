// debug: print a message or a variable's value (controller only).

import { PlaybookError } from '../engine/errors.js'
import type { LocalTaskType } from '../engine/task.js'

export interface DebugParams {
  msg?: unknown
  var?: string
  verbosity: number
}

export const debug: LocalTaskType<DebugParams> = {
  kind: 'local',
  name: 'debug',
  supportsCheck: true,
  params: {
    msg: { type: 'raw' },
    var: { type: 'string' },
    verbosity: { type: 'int', default: 0 },
  },
  validate(p, where) {
    if (p.msg !== undefined && p.var !== undefined) {
      throw new PlaybookError('debug: "msg" and "var" exclude each other', where, 'give one of them')
    }
  },
  run(p, ctx) {
    if (p.var !== undefined) {
      const value = ctx.evaluate(p.var)
      return { changed: false, data: { [p.var]: value } }
    }
    const msg = p.msg === undefined ? 'Hello world!' : p.msg
    return { changed: false, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), data: { msg } }
  },
}
