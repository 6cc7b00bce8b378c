// A play's `hosts:` may be a template (kubespray's remove-node.yml names its hosts with "{{ node }}"). As in
// Ansible it is rendered once per run, before any host is chosen, from the extra vars: host variables do not
// exist yet at that point. A list result is a list of patterns.

import { PlaybookError } from '../errors.js'
import { isTemplated, renderString } from '../expr/jinja-string-render.js'
import { Undefined, isUndefined, isUndefinedError } from '../expr/undefined.js'
import type { PlayDef } from './model.js'

export function renderPlayHosts(play: PlayDef, extraVars: Record<string, unknown>): string {
  if (!isTemplated(play.hosts)) return play.hosts
  const missing: string[] = []
  let v: unknown
  try {
    v = renderString(play.hosts, {
      lookup: (name) => {
        if (name in extraVars) return extraVars[name]
        missing.push(name)
        return new Undefined(name)
      },
    })
  } catch (e) {
    if (isUndefinedError(e) && missing.length) {
      throw new PlaybookError(`play "${play.name}" picks its hosts with ${JSON.stringify(play.hosts)}, and '${missing[0]}' is not set`,
        play.where, `give it on the command line: -e ${missing[0]}=NAME[,NAME]`)
    }
    throw new PlaybookError(`play "${play.name}": hosts ${JSON.stringify(play.hosts)} cannot be rendered: ${(e as Error).message}`,
      play.where, 'only extra vars (-e) are known when a play picks its hosts')
  }
  const patterns = (Array.isArray(v) ? v : [v]).map((p) => (isUndefined(p) || p === null ? '' : String(p)).trim()).filter(Boolean)
  // An empty pattern would mean every host: refuse it rather than run a play on hosts nobody named.
  if (patterns.length === 0) {
    throw new PlaybookError(`play "${play.name}": hosts ${JSON.stringify(play.hosts)} renders to no host pattern`, play.where,
      'name the hosts with -e (for example -e node=NAME)')
  }
  return patterns.join(',')
}
