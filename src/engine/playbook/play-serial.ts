// A play's `serial` may be a template (kubespray's upgrade-cluster.yml: "{{ serial | default('20%') }}"). As for
// `hosts`, it is rendered once per run from the extra vars, before any batch is made: no host's variables exist
// at that point (Ansible renders it without a host too).

import { PlaybookError } from '../errors.js'
import { isTemplated, renderString } from '../expr/jinja-string-render.js'
import { Undefined } from '../expr/undefined.js'
import type { PlayDef } from './model.js'

/** A batch size: a whole number above 0 or a percentage. */
export function validSerial(s: unknown): boolean {
  return (typeof s === 'number' && s > 0) || (typeof s === 'string' && /^\d+%?$/.test(s.trim()))
}

export function renderPlaySerial(play: PlayDef, extraVars: Record<string, unknown>): Array<number | string> {
  if (!play.serial.some((s) => typeof s === 'string' && isTemplated(s))) return play.serial
  return play.serial.flatMap((s) => {
    if (typeof s !== 'string' || !isTemplated(s)) return [s]
    let v: unknown
    try {
      v = renderString(s, { lookup: (name) => (name in extraVars ? extraVars[name] : new Undefined(name)) })
    } catch (e) {
      throw new PlaybookError(`play "${play.name}": serial ${JSON.stringify(s)} cannot be rendered: ${(e as Error).message}`,
        play.where, 'only extra vars (-e) are known when a play makes its batches')
    }
    const values = (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' && /^\s*\d+\s*$/.test(x) ? Number(x) : x))
    for (const x of values) {
      if (!validSerial(x)) {
        throw new PlaybookError(`play "${play.name}": serial ${JSON.stringify(s)} gives ${JSON.stringify(x)}, not a batch size`,
          play.where, 'give a whole number above 0 or a percentage, e.g. -e serial=1 or -e serial=30%')
      }
    }
    return values as Array<number | string>
  })
}
