// The registry of task types: the one place that knows every module by name. The engine looks types up
// here and never imports a concrete task.

import type { TaskType } from '../engine/task.js'
import { assert } from './assert.js'
import { blockinfile } from './blockinfile.js'
import { command } from './command.js'
import { copy } from './copy.js'
import { debug } from './debug.js'
import { fail } from './fail.js'
import { fetch } from './fetch.js'
import { file } from './file.js'
import { getUrl } from './get-url.js'
import { hostname } from './hostname.js'
import { lineinfile } from './lineinfile.js'
import { meta } from './meta.js'
import { modprobe } from './modprobe.js'
import { packageTask } from './package.js'
import { pause } from './pause.js'
import { service } from './service.js'
import { setFact } from './set-fact.js'
import { shell } from './shell.js'
import { slurp } from './slurp.js'
import { stat } from './stat.js'
import { swap } from './swap.js'
import { sysctl } from './sysctl.js'
import { systemd } from './systemd.js'
import { template } from './template.js'
import { unarchive } from './unarchive.js'
import { waitFor } from './wait-for.js'

// Each type has its own parameter shape; the registry hands them out as the common TaskType.
const ALL = [
  assert, blockinfile, command, copy, debug, fail, fetch, file, getUrl, hostname, lineinfile, meta, modprobe,
  packageTask, pause, service, setFact, shell, slurp, stat, swap, sysctl, systemd, template, unarchive, waitFor,
] as unknown as TaskType[]

const BY_NAME = new Map<string, TaskType>()
for (const t of ALL) {
  // Every short name also answers in its `ansible.builtin.` form; collection names (`ansible.posix.sysctl`) stand as given.
  const short = [t.name, ...(t.aliases ?? []).filter((a) => !a.includes('.'))]
  const names = [...short, ...short.map((n) => `ansible.builtin.${n}`), ...(t.aliases ?? []).filter((a) => a.includes('.'))]
  for (const n of names) {
    if (BY_NAME.has(n) && BY_NAME.get(n) !== t) throw new Error(`task name ${n} registered twice`)
    BY_NAME.set(n, t)
  }
}

/** The task type for a module name, an alias, or either's `ansible.builtin.` form. */
export function taskType(name: string): TaskType | undefined {
  return BY_NAME.get(name)
}

/** Every module name a task may use (names and aliases), sorted. */
export function taskTypeNames(): string[] {
  return [...BY_NAME.keys()].sort()
}
