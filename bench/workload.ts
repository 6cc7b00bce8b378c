// The benchmark's workload, written once and emitted as two equivalent playbooks (kubeseed, Ansible):
// per host 20 tasks: 5 directories, 5 templates of about 2 KB with per-host variables, 5 line edits in
// one file, and 5 commands guarded by `creates`.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { dump } from 'js-yaml'

const ROOT = '/srv/bench'

/** ~2 KB of text with per-host values; `{{ name }}` reads the same in handlebars and Jinja. */
function templateText(): string {
  const lines = ['# generated for {{ inventory_hostname }} at {{ ansible_host }}']
  for (let i = 0; i < 40; i++) {
    lines.push(`setting_${String(i).padStart(2, '0')} = value-${i}-for-{{ inventory_hostname }} # address {{ ansible_host }}`)
  }
  return `${lines.join('\n')}\n`
}

function tasks(templateExt: string): unknown[] {
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

export interface Workload {
  dir: string
  kubeseed: string
  ansible: string
  cleanup: string
}

/** Writes both playbooks, their templates and a cleanup playbook into `dir`. */
export function writeWorkload(dir: string): Workload {
  mkdirSync(join(dir, 'templates'), { recursive: true })
  writeFileSync(join(dir, 'templates', 'page.hbs'), templateText())
  writeFileSync(join(dir, 'templates', 'page.j2'), templateText())
  const play = (t: unknown[]) => dump([{ name: 'benchmark workload', hosts: 'all', gather_facts: true, tasks: t }])
  const files = {
    kubeseed: join(dir, 'kubeseed.yaml'),
    ansible: join(dir, 'ansible.yaml'),
    cleanup: join(dir, 'cleanup.yaml'),
  }
  writeFileSync(files.kubeseed, play(tasks('.hbs')))
  writeFileSync(files.ansible, play(tasks('.j2')))
  writeFileSync(files.cleanup, dump([{ hosts: 'all', gather_facts: false, tasks: [{ name: 'clean', file: { path: ROOT, state: 'absent' } }] }]))
  return { dir, ...files }
}

export const TASKS_PER_HOST = 20
export const BENCH_ROOT = ROOT
