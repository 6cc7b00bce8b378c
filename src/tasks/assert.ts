// assert: every expression in `that` must be true, or the host fails with fail_msg (controller only).

import { truthy } from '../engine/expr/python.js'
import type { LocalTaskType } from '../engine/task.js'

export interface AssertParams {
  that: unknown[]
  fail_msg?: string
  success_msg?: string
  quiet: boolean
}

export const assert: LocalTaskType<AssertParams> = {
  kind: 'local',
  name: 'assert',
  supportsCheck: true,
  params: {
    that: { type: 'list', required: true },
    fail_msg: { type: 'string', aliases: ['msg'] },
    success_msg: { type: 'string' },
    quiet: { type: 'bool', default: false },
  },
  run(p, ctx) {
    for (const cond of p.that) {
      const value = typeof cond === 'string' ? ctx.evaluate(cond) : cond
      if (!truthy(value)) {
        return {
          failed: true,
          changed: false,
          msg: p.fail_msg ?? 'Assertion failed',
          data: { assertion: cond, evaluated_to: false },
        }
      }
    }
    return { changed: false, msg: p.quiet ? undefined : p.success_msg ?? 'All assertions passed' }
  },
}
