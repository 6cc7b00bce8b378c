// systemd: a unit's state (started/stopped/restarted/reloaded), enablement and masking, and daemon-reload.
// Idempotent through `systemctl is-active` / `is-enabled`; restarted and reloaded always act (and report).
// daemon_reload reloads only when a unit file changed since systemd last read them (unitsUnchanged).

import { PlaybookError, type Where } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'

export interface SystemdParams {
  name?: string
  state?: 'started' | 'stopped' | 'restarted' | 'reloaded'
  enabled?: boolean
  masked?: boolean
  daemon_reload: boolean
  daemon_reexec: boolean
  no_block: boolean
}

export const SYSTEMD_STATES = ['started', 'stopped', 'restarted', 'reloaded'] as const

function checkUnit(kind: string, p: SystemdParams, where: Where): void {
  if (p.name === undefined && (p.state !== undefined || p.enabled !== undefined || p.masked !== undefined)) {
    throw new PlaybookError(`${kind}: state, enabled and masked need "name"`, where, 'add name: <unit>')
  }
  if (p.name === undefined && !p.daemon_reload && !p.daemon_reexec) {
    throw new PlaybookError(`${kind}: nothing to do`, where, 'give name: with state/enabled/masked, or daemon_reload: yes')
  }
}

// daemon-reload makes systemd read its unit files again, and takes about a second. It is skipped only when
// there is nothing new to read: the unit does not say it needs one (NeedDaemonReload), and no file or directory
// where systemd finds units, drop-ins or its own configuration, nor /etc/fstab (the mount generator's input), has
// changed since it last loaded them (UnitsLoadTimestamp, whole seconds; -newerct: a write, a new or removed entry,
// an edit in the same second all count as later). Anything it cannot read or parse means: reload.
const UNIT_PATHS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/lib/systemd/system',
  '/usr/lib/systemd/system', '/etc/systemd/system.conf', '/etc/systemd/system.conf.d', '/etc/fstab']

function unitsUnchanged(unit: string | undefined): string {
  const own = unit === undefined ? '' : `[ "$(systemctl show -p NeedDaemonReload --value ${quote(unit)} 2>/dev/null)" = no ] && `
  return `{ ${own}_kl=$(systemctl show -p UnitsLoadTimestamp --value 2>/dev/null) && [ -n "$_kl" ] && ` +
    `_kn=$(find $(for _kp in ${UNIT_PATHS.join(' ')}; do [ -e "$_kp" ] && echo "$_kp"; done) -newerct "$_kl" -print -quit 2>/dev/null) && [ -z "$_kn" ]; }`
}

/** The script for systemd and service: one systemctl call per fact to check, one per change. */
export function systemdScript(p: SystemdParams): string {
  const lines = [`[ -d /run/systemd/system ] || ks_fail 'systemd is not running on this host (cannot manage units)'`]
  if (p.daemon_reexec) lines.push('ks_check || systemctl daemon-reexec || exit 1')
  if (p.daemon_reload) lines.push(`ks_check || ${unitsUnchanged(p.name)} || systemctl daemon-reload || exit 1`)
  if (p.name === undefined) return lines.join('\n')
  const unit = quote(p.name)
  const noBlock = p.no_block ? ' --no-block' : ''
  const act = (what: string, cmd: string) =>
    `ks_changed ${quote(`${what} ${p.name}`)}; ks_check || systemctl${noBlock} ${cmd} ${unit} || ks_fail ${quote(`systemctl ${cmd} ${p.name} failed`)}`
  // A unit that does not exist fails, except in check mode where an earlier task may not have written it
  // yet. Masking needs no unit file.
  if (p.masked !== true) {
    lines.push(
      `if [ "$(systemctl show -p LoadState --value ${unit} 2>/dev/null)" = not-found ]; then`,
      `  if ks_check; then ks_changed ${quote(`manage ${p.name} (unit not found yet)`)}; exit 0; fi`,
      `  ks_fail ${quote(`could not find the requested service ${p.name}`)}`,
      'fi',
    )
  }
  if (p.masked !== undefined) {
    lines.push('_ke=$(systemctl is-enabled ' + unit + ' 2>/dev/null)')
    lines.push(p.masked
      ? `case "$_ke" in masked|masked-runtime) ;; *) ${act('mask', 'mask')} ;; esac`
      : `case "$_ke" in masked|masked-runtime) ${act('unmask', 'unmask')} ;; esac`)
  }
  if (p.enabled !== undefined) {
    lines.push(p.enabled
      ? `systemctl is-enabled --quiet ${unit} 2>/dev/null || { ${act('enable', 'enable')}; }`
      : `if systemctl is-enabled --quiet ${unit} 2>/dev/null; then case "$(systemctl is-enabled ${unit} 2>/dev/null)" in static|indirect|generated|transient) ;; *) ${act('disable', 'disable')} ;; esac; fi`)
  }
  switch (p.state) {
    case 'started':
      lines.push(`systemctl is-active --quiet ${unit} || { ${act('start', 'start')}; }`)
      break
    case 'stopped':
      lines.push(`if systemctl is-active --quiet ${unit}; then ${act('stop', 'stop')}; fi`)
      break
    case 'restarted':
      lines.push(act('restart', 'restart'))
      break
    case 'reloaded':
      // Like Ansible: reloading a stopped unit starts it.
      lines.push(`if systemctl is-active --quiet ${unit}; then ${act('reload', 'reload')}; else ${act('start', 'start')}; fi`)
      break
    case undefined:
      break
  }
  return lines.join('\n')
}

export const systemd: RemoteTaskType<SystemdParams> = {
  kind: 'remote',
  name: 'systemd',
  aliases: ['systemd_service'],
  supportsCheck: true,
  params: {
    name: { type: 'string', aliases: ['service', 'unit'] },
    state: { type: 'string', choices: SYSTEMD_STATES },
    enabled: { type: 'bool' },
    masked: { type: 'bool' },
    daemon_reload: { type: 'bool', default: false, aliases: ['daemon-reload'] },
    daemon_reexec: { type: 'bool', default: false, aliases: ['daemon-reexec'] },
    no_block: { type: 'bool', default: false },
  },
  validate(p, where) {
    checkUnit('systemd', p, where)
  },
  plan(p) {
    return { script: systemdScript(p) }
  },
}
