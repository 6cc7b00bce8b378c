// modprobe: a kernel module loaded (or not), and optionally loaded at every boot through
// /etc/modules-load.d/<name>.conf, its parameters kept in /etc/modprobe.d/<name>.conf.

import { PlaybookError } from '../engine/errors.js'
import { quote, shellJoin } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { diffPrologue } from './shared/shell-args.js'

export interface ModprobeParams {
  name: string
  state: 'present' | 'absent'
  params: string
  persistent: 'present' | 'absent' | 'disabled'
}

export const modprobe: RemoteTaskType<ModprobeParams> = {
  kind: 'remote',
  name: 'modprobe',
  aliases: ['community.general.modprobe'],
  supportsCheck: true,
  params: {
    name: { type: 'string', required: true },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present' },
    params: { type: 'string', default: '' },
    persistent: { type: 'string', choices: ['present', 'absent', 'disabled'], default: 'disabled' },
  },
  validate(p, where) {
    if (!/^[A-Za-z0-9_-]+$/.test(p.name)) {
      throw new PlaybookError(`modprobe: "${p.name}" is not a module name`, where, 'e.g. br_netfilter, overlay')
    }
  },
  plan(p, ctx) {
    // /sys/module uses underscores whatever the module was called with.
    const sysName = quote(`/sys/module/${p.name.replace(/-/g, '_')}`)
    const args = p.params.trim() ? ` ${shellJoin(p.params.trim().split(/\s+/))}` : ''
    const lines = [diffPrologue(ctx)]
    // Loaded: listed in /proc/modules or /sys/module; built into the kernel: in modules.builtin (containers
    // may not show /sys/module at all).
    const under = p.name.replace(/-/g, '_')
    lines.push(`ks_mod_in() { [ -d ${sysName} ] || grep -q ${quote(`^${under} `)} /proc/modules 2>/dev/null || ` +
      `grep -Eq ${quote(`/${p.name.replace(/[-_]/g, '[-_]')}\.ko(\.[gx]z|\.zst)?$`)} "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null; }`)
    if (p.state === 'present') {
      lines.push(`if ! ks_mod_in; then ks_changed ${quote(`load module ${p.name}`)}; ks_check || modprobe ${quote(p.name)}${args} || ks_fail ${quote(`cannot load kernel module ${p.name}`)}; fi`)
    } else {
      lines.push(`if [ -d ${sysName} ] || grep -q ${quote(`^${under} `)} /proc/modules 2>/dev/null; then ks_changed ${quote(`unload module ${p.name}`)}; ks_check || modprobe -r ${quote(p.name)} || ks_fail ${quote(`cannot unload kernel module ${p.name}`)}; fi`)
    }
    const loadFile = `/etc/modules-load.d/${p.name}.conf`
    const optFile = `/etc/modprobe.d/${p.name}.conf`
    const payloads: string[] = []
    if (p.persistent === 'present' && p.state === 'present') {
      payloads.push(`${p.name}\n`)
      lines.push(`mkdir -p /etc/modules-load.d && ks_put "$KS_P0" ${quote(loadFile)} '' '' ''`)
      if (p.params.trim()) {
        payloads.push(`options ${p.name} ${p.params.trim()}\n`)
        lines.push(`mkdir -p /etc/modprobe.d && ks_put "$KS_P1" ${quote(optFile)} '' '' ''`)
      }
    } else if (p.persistent === 'absent' || (p.persistent === 'present' && p.state === 'absent')) {
      for (const f of [loadFile, optFile]) {
        lines.push(`if [ -e ${quote(f)} ]; then ks_changed ${quote(`remove ${f}`)}; ks_check || rm -f ${quote(f)}; fi`)
      }
    }
    return { script: lines.join('\n'), payloads }
  },
}
