// command: run a program with arguments, without a shell. The string is split like Python's shlex and each
// word quoted, so `$HOME`, `|` or `;` reach the program as they are, like Ansible's command module.

import { PlaybookError } from '../engine/errors.js'
import { shlexSplit } from '../engine/shlex.js'
import { shellJoin } from '../engine/quote.js'
import type { ParamSpec, RemoteTaskType } from '../engine/task.js'
import { guardedRun, RUN_PARAM_SPEC, type RunParams } from './shared/run-guard.js'

export interface CommandParams extends RunParams {
  cmd?: string
  argv?: string[]
}

export const command: RemoteTaskType<CommandParams> = {
  kind: 'remote',
  name: 'command',
  freeForm: 'cmd',
  supportsCheck: true,
  params: {
    cmd: { type: 'string', aliases: ['_raw_params'] },
    argv: { type: 'list', items: 'string' },
    ...(RUN_PARAM_SPEC as ParamSpec),
  },
  validate(p, where) {
    if ((p.cmd === undefined) === (p.argv === undefined)) {
      throw new PlaybookError('command: give exactly one of "cmd" (or free-form text) and "argv"', where,
        'e.g. command: kubeadm version, or argv: [kubeadm, version]')
    }
    if (Array.isArray(p.argv) && p.argv.length === 0) throw new PlaybookError('command: argv is empty', where, 'give the program and its arguments')
  },
  plan(p, ctx) {
    let argv: string[]
    if (p.argv) {
      argv = p.argv
    } else {
      try {
        argv = shlexSplit(p.cmd!)
      } catch (e) {
        throw new PlaybookError(`command: cannot split "${p.cmd}": ${(e as Error).message}`, ctx.where, 'balance the quotes')
      }
      if (argv.length === 0) throw new PlaybookError('command: the command is empty', ctx.where, 'give the program to run')
    }
    return guardedRun('command', p, shellJoin(argv))
  },
}
