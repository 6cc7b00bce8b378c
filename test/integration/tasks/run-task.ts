// Runs a task type for real: parse its params, plan its step, run the step through a batch on a
// LocalConnection (the same script an SSH host gets), and return the step's output.

import { buildBatch, parseBatch } from '../../../src/engine/step/batch.js'
import type { StepOutput } from '../../../src/engine/step/types.js'
import { parseParams } from '../../../src/engine/params.js'
import type { RemoteTaskType, TaskType } from '../../../src/engine/task.js'
import { LocalConnection } from '../../../src/engine/transport/local.js'
import { planContext } from '../../unit/tasks/plan-context.js'

export type CtxOptions = Parameters<typeof planContext>[0]

export interface RunOptions {
  check?: boolean
  diff?: boolean
  ctx?: CtxOptions
  /** Wrap the batch script, e.g. to run it inside a chroot: (script) => script. */
  wrap?: (script: string) => string
}

export async function runTask<P>(type: TaskType<P>, raw: unknown, opts: RunOptions = {}): Promise<StepOutput & { register: Record<string, unknown> }> {
  if (type.kind !== 'remote') throw new Error(`${type.name} is not a remote task`)
  const remote = type as RemoteTaskType<P>
  const check = opts.check ?? false
  const diff = opts.diff ?? false
  const ctx = planContext({ ...opts.ctx, check, diff: opts.ctx?.diff ?? diff })
  const p = parseParams(type, raw, ctx.where, { templated: true })
  const step = remote.plan(p, ctx)
  const batch = buildBatch([step], { check, diff })
  const conn = new LocalConnection('local')
  const r = await conn.exec({ script: opts.wrap ? opts.wrap(batch.script) : batch.script })
  const [out] = parseBatch(r.stdout.toString(), r.stderr.toString(), batch)
  const register = remote.finish && out.rc === 0 ? await remote.finish(p, out, ctx) : {}
  return { ...out, register }
}
