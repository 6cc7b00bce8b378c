// template: render templates/<src> (handlebars) for the host and install it at `dest` when it differs.

import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { attrArgs, diffPrologue } from './shared/shell-args.js'
import { validateCommand } from './shared/validate-command.js'

export interface TemplateParams {
  src: string
  dest: string
  mode?: string
  owner?: string
  group?: string
  force: boolean
  validate?: string
}

export const template: RemoteTaskType<TemplateParams> = {
  kind: 'remote',
  name: 'template',
  supportsCheck: true,
  params: {
    src: { type: 'path', required: true },
    dest: { type: 'path', required: true },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
    force: { type: 'bool', default: true },
    validate: { type: 'string' },
  },
  plan(p, ctx) {
    const text = ctx.renderTemplate(p.src)
    const lines = [diffPrologue(ctx)]
    if (p.validate) lines.push(validateCommand(p.validate, '"$KS_P0"', ctx.where))
    const install = `ks_put "$KS_P0" ${quote(p.dest)} ${attrArgs(p)}`
    lines.push(p.force ? install : `if [ -e ${quote(p.dest)} ]; then :; else ${install}; fi`)
    return { script: lines.join('\n'), payloads: [text] }
  },
}
