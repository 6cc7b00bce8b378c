// sysctl: keep `name=value` in a sysctl.d file, and set the running value with `sysctl -w` only when it
// differs. The default file is kubespray's (sysctl_file_path: /etc/sysctl.d/99-sysctl.conf).

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { ereLiteral, lineEditScript } from './shared/line-edit.js'
import { diffPrologue } from './shared/shell-args.js'

export interface SysctlParams {
  name: string
  value?: string
  state: 'present' | 'absent'
  sysctl_file: string
  reload: boolean
  sysctl_set: boolean
  ignoreerrors: boolean
}

export const SYSCTL_FILE = '/etc/sysctl.d/99-sysctl.conf'

export const sysctl: RemoteTaskType<SysctlParams> = {
  kind: 'remote',
  name: 'sysctl',
  aliases: ['ansible.posix.sysctl'],
  supportsCheck: true,
  params: {
    name: { type: 'string', required: true, aliases: ['key'] },
    value: { type: 'string', aliases: ['val'] },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present' },
    sysctl_file: { type: 'path', default: SYSCTL_FILE },
    reload: { type: 'bool', default: true },
    // Accepted for Ansible compatibility: the running value is always compared and set when it differs.
    sysctl_set: { type: 'bool', default: false },
    ignoreerrors: { type: 'bool', default: false },
  },
  validate(p, where) {
    if (p.state === 'present' && p.value === undefined) {
      throw new PlaybookError(`sysctl: ${p.name} needs a value with state=present`, where, 'add value: <the value>')
    }
    if (/[\s=]/.test(p.name)) throw new PlaybookError(`sysctl: name "${p.name}" is not a sysctl key`, where, 'e.g. net.ipv4.ip_forward')
  },
  plan(p, ctx) {
    const value = (p.value ?? '').trim().split(/\s+/).join(' ')
    const lines = [diffPrologue(ctx)]
    // The file keeps one `name=value` line; spaces around '=' in existing lines are accepted.
    lines.push(`(\n${lineEditScript({
      path: p.sysctl_file, match: 're', pat: `^[[:space:]]*${ereLiteral(p.name)}[[:space:]]*=`, line: `${p.name}=${value}`,
      state: p.state, ins: '', insKind: 'after', backrefs: false, firstmatch: false, create: true,
    })}\n) || exit 1`)
    if (p.state === 'present' && p.reload) {
      const key = quote(p.name)
      const onError = p.ignoreerrors ? 'true' : `ks_fail ${quote(`cannot set ${p.name}`)}`
      const missing = p.ignoreerrors ? 'exit 0' : `ks_fail ${quote(`sysctl key ${p.name} does not exist on this host`)}`
      lines.push(
        `_kc=$(sysctl -n ${key} 2>/dev/null) || ${missing}`,
        `_kc=$(printf '%s' "$_kc" | tr -s ' \\t' '  ')`,
        `if [ "$_kc" != ${quote(value)} ]; then`,
        `  ks_changed "${p.name.replace(/[\\"$`]/g, '\\$&')}: $_kc -> "${quote(value)}`,
        `  ks_check || sysctl -q -w ${quote(`${p.name}=${value}`)} >/dev/null || ${onError}`,
        'fi',
      )
    }
    return { script: lines.join('\n') }
  },
}
