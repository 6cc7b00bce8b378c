// hostname: the host's name, now and at boot. With systemd running, hostnamectl does both; otherwise
// /etc/hostname is written and `hostname` sets the running name.

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { diffPrologue } from './shared/shell-args.js'

export interface HostnameParams {
  name: string
  use?: 'systemd' | 'debian' | 'redhat' | 'generic'
}

export const hostname: RemoteTaskType<HostnameParams> = {
  kind: 'remote',
  name: 'hostname',
  supportsCheck: true,
  params: {
    name: { type: 'string', required: true },
    use: { type: 'string', choices: ['systemd', 'debian', 'redhat', 'generic'] },
  },
  validate(p, where) {
    if (!/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(p.name)) {
      throw new PlaybookError(`hostname: "${p.name}" is not a valid host name`, where, 'use letters, digits, dots and dashes')
    }
  },
  plan(p, ctx) {
    const name = quote(p.name)
    const systemd = p.use ? p.use === 'systemd' : ctx.facts.ks_systemd_running === true
    if (systemd) {
      return {
        script: [
          `_ks=$(hostnamectl --static 2>/dev/null); _kn=$(hostname)`,
          `if [ "$_ks" != ${name} ] || [ "$_kn" != ${name} ]; then ks_changed "hostname: $_kn -> "${name}; ks_check || hostnamectl set-hostname ${name} || exit 1; fi`,
        ].join('\n'),
      }
    }
    return {
      script: [
        diffPrologue(ctx),
        `ks_put "$KS_P0" /etc/hostname '' '' ''`,
        `_kn=$(hostname)`,
        `if [ "$_kn" != ${name} ]; then ks_changed "hostname: $_kn -> "${name}; ks_check || hostname ${name} || exit 1; fi`,
      ].join('\n'),
      payloads: [`${p.name}\n`],
    }
  },
}
