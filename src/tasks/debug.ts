// debug: print a message or a variable's value (controller only), as Ansible shows them.

import { PlaybookError } from '../engine/errors.js'
import { isUndefinedError } from '../engine/expr/index.js'
import { pyJson } from '../engine/expr/json-text.js'
import type { LocalTaskType } from '../engine/task.js'

export interface DebugParams {
  msg?: unknown
  var?: string
  verbosity: number
}

/** What Ansible prints for a name it cannot find. */
const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!'

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
      // As Ansible: the name (or expression) rendered as `{{ var }}`, an undefined one reported, not failed.
      let value: unknown
      try {
        value = ctx.render(`{{ ${p.var} }}`)
      } catch (e) {
        if (!isUndefinedError(e)) throw e
        value = NOT_DEFINED
      }
      return { changed: false, display: true, msg: `${pyJson(p.var, { ensureAscii: false })}: ${pyJson(value, { ensureAscii: false })}`, data: { [p.var]: value } }
    }
    const msg = p.msg === undefined ? 'Hello world!' : p.msg
    return { changed: false, display: true, msg: typeof msg === 'string' ? msg : JSON.stringify(msg), data: { msg } }
  },
}
