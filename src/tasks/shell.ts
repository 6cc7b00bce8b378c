// shell: run a command line through a shell (/bin/sh -c, or `executable`), pipes and expansions included.

import { quote } from '../engine/quote.js'
import type { ParamSpec, RemoteTaskType } from '../engine/task.js'
import { guardedRun, RUN_PARAM_SPEC, type RunParams } from './shared/run-guard.js'

export interface ShellParams extends RunParams {
  cmd: string
  executable: string
}

export const shell: RemoteTaskType<ShellParams> = {
  kind: 'remote',
  name: 'shell',
  freeForm: 'cmd',
  supportsCheck: true,
  params: {
    cmd: { type: 'string', required: true, aliases: ['_raw_params'] },
    executable: { type: 'path', default: '/bin/sh' },
    ...(RUN_PARAM_SPEC as ParamSpec),
  },
  plan(p) {
    return guardedRun('shell', p, `${quote(p.executable)} -c ${quote(p.cmd)}`)
  },
}
