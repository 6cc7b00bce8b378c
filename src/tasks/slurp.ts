// slurp: a file's content from the host, base64-encoded, for `register` ({content, encoding, source}).

import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'

export interface SlurpParams {
  src: string
}

export const slurp: RemoteTaskType<SlurpParams> = {
  kind: 'remote',
  name: 'slurp',
  supportsCheck: true,
  params: {
    src: { type: 'path', required: true, aliases: ['path'] },
  },
  plan(p) {
    const src = quote(p.src)
    return { script: `[ -f ${src} ] || ks_fail ${quote(`file not found: ${p.src}`)}\nbase64 -w 0 ${src}` }
  },
  finish(p, out) {
    return { content: out.stdout.replace(/\s+/g, ''), encoding: 'base64', source: p.src }
  },
}
