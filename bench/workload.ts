// The benchmark's workloads, each written once and emitted as two equivalent playbooks (kubeseed, Ansible),
// with fact gathering either off in both or at its minimum in both (kubeseed's one-exec facts script;
// Ansible's `gather_subset: min`).
//   files: per host 20 independent tasks: 5 directories, 5 templates of about 2 KB with per-host variables,
//          5 line edits in one file, 5 commands guarded by `creates` (no decision on the controller).
//   role:  shaped like a role of cluster.yaml: a command whose result is registered, a task `when` on that
//          result, a loop, a template that notifies a handler, the handler.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dump } from 'js-yaml'

const ROOT = '/srv/bench'

export type WorkloadName = 'files' | 'role'
export type Gather = 'min' | 'off'

/** ~2 KB of text with per-host values; `{{ name }}` reads the same in handlebars and Jinja. */
function templateText(): string {
  const lines = ['# generated for {{ inventory_hostname }} at {{ ansible_host }}']
  for (let i = 0; i < 40; i++) {
    lines.push(`setting_${String(i).padStart(2, '0')} = value-${i}-for-{{ inventory_hostname }} # address {{ ansible_host }}`)
  }
  return `${lines.join('\n')}\n`
}

function filesTasks(templateExt: string): unknown[] {
  const out: unknown[] = []
  for (let i = 1; i <= 5; i++) {
    out.push({ name: `directory ${i}`, file: { path: `${ROOT}/dir${i}`, state: 'directory', mode: '0755' } })
  }
  for (let i = 1; i <= 5; i++) {
    out.push({ name: `template ${i}`, template: { src: `page${templateExt}`, dest: `${ROOT}/dir${i}/page.conf`, mode: '0644' } })
  }
  for (let i = 1; i <= 5; i++) {
    out.push({ name: `line ${i}`, lineinfile: { path: `${ROOT}/settings.conf`, regexp: `^key${i}=`, line: `key${i}=value${i}`, create: true } })
  }
  for (let i = 1; i <= 5; i++) {
    out.push({ name: `command ${i}`, command: `touch ${ROOT}/done${i}`, args: { creates: `${ROOT}/done${i}` } })
  }
  return out
}

function roleTasks(templateExt: string): { tasks: unknown[]; handlers: unknown[] } {
  const dir = `${ROOT}/role`
  return {
    tasks: [
      { name: 'read the installed version', command: `cat ${dir}/version`, register: 'installed', changed_when: false, failed_when: false },
      { name: 'config directory', file: { path: `${dir}/conf.d`, state: 'directory', mode: '0755' } },
      { name: 'install when missing', copy: { content: 'v1\n', dest: `${dir}/version`, mode: '0644' }, when: 'installed.rc != 0' },
      { name: 'settings', lineinfile: { path: `${dir}/settings.conf`, regexp: '^{{ item }}=', line: '{{ item }}=on', create: true }, loop: ['alpha', 'beta', 'gamma', 'delta', 'epsilon'] },
      { name: 'service config', template: { src: `page${templateExt}`, dest: `${dir}/conf.d/service.conf`, mode: '0644' }, notify: 'restart service' },
    ],
    handlers: [{ name: 'restart service', command: `touch ${dir}/restarted` }],
  }
}

/**
 * Changed results per host on fresh hosts, as each tool's recap counts them: Ansible counts a looped task
 * once, kubeseed each item (role: directory, install, 5 loop items, template, handler).
 */
export const CHANGED_FIRST_RUN: Record<WorkloadName, { kubeseed: number; ansible: number }> = {
  files: { kubeseed: 20, ansible: 20 },
  role: { kubeseed: 5, ansible: 5 },
}

export interface Workload {
  name: WorkloadName
  gather: Gather
  kubeseed: string
  ansible: string
  cleanup: string
}

/** Writes both playbooks of one workload and gather mode, their templates and a cleanup playbook into `dir`. */
export function writeWorkload(dir: string, name: WorkloadName, gather: Gather): Workload {
  mkdirSync(join(dir, 'templates'), { recursive: true })
  writeFileSync(join(dir, 'templates', 'page.hbs'), templateText())
  writeFileSync(join(dir, 'templates', 'page.j2'), templateText())
  const play = (ext: string, ansible: boolean) => {
    const body = name === 'files' ? { tasks: filesTasks(ext) } : roleTasks(ext)
    const facts = gather === 'off' ? { gather_facts: false } : ansible ? { gather_facts: true, gather_subset: ['!all', 'min'] } : { gather_facts: true }
    return dump([{ name: `benchmark workload ${name}`, hosts: 'all', ...facts, ...body }])
  }
  const files = {
    kubeseed: join(dir, `${name}-${gather}.kubeseed.yaml`),
    ansible: join(dir, `${name}-${gather}.ansible.yaml`),
    cleanup: join(dir, 'cleanup.yaml'),
  }
  writeFileSync(files.kubeseed, play('.hbs', false))
  writeFileSync(files.ansible, play('.j2', true))
  writeFileSync(files.cleanup, dump([{ hosts: 'all', gather_facts: false, tasks: [{ name: 'clean', file: { path: ROOT, state: 'absent' } }] }]))
  return { name, gather, ...files }
}

export const BENCH_ROOT = ROOT
