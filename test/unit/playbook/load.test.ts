import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadPlaybook, type LoadOptions } from '../../../src/engine/playbook/load.js'
import type { BlockDef, TaskDef } from '../../../src/engine/playbook/model.js'
import { KubeseedError, PlaybookError } from '../../../src/engine/errors.js'

const MODULES = ['command', 'file', 'copy', 'debug', 'template']
const opts = (rolesPath: string[] = []): LoadOptions => ({
  module: (n) => {
    const short = n.replace(/^ansible\.builtin\./, '')
    return MODULES.includes(short)
      ? { name: short, combine: (text, extra) => ({ _text: text, ...extra }), check: (args, where) => { if (short === 'file' && args && typeof args === 'object' && 'bogus' in args) throw new PlaybookError('file: unknown parameter bogus', where) } }
      : undefined
  },
  moduleNames: () => MODULES,
  rolesPath,
})

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks-pb-'))
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  return dir
}

function loadError(files: Record<string, string>): string {
  const dir = tree(files)
  try {
    loadPlaybook(join(dir, 'site.yaml'), opts())
  } catch (e) {
    expect(e).to.be.instanceOf(KubeseedError)
    return (e as Error).message.replace(dir, 'DIR')
  }
  throw new Error('expected an error')
}

describe('playbook loader', () => {
  it('resolves roles with defaults, vars, handlers and inherited keywords', () => {
    const dir = tree({
      'site.yaml': `- hosts: all\n  become: true\n  roles:\n    - role: web\n      tags: [webtag]\n      when: enabled\n  tasks:\n    - name: after\n      command: echo after\n`,
      'roles/web/tasks/main.yaml': `- name: one\n  file: path=/x state=directory\n- import_tasks: more.yaml\n`,
      'roles/web/tasks/more.yaml': `- name: two\n  command: echo two\n  notify: restart\n`,
      'roles/web/handlers/main.yml': `- name: restart\n  command: echo restart\n`,
      'roles/web/defaults/main.yaml': `port: 80\n`,
      'roles/web/vars/main.yaml': `user: www\n`,
    })
    const pb = loadPlaybook(join(dir, 'site.yaml'), opts())
    const play = pb.plays[0]
    const tasks = play.items as TaskDef[]
    expect(tasks.map((t) => t.name)).to.deep.equal(['one', 'two', 'after'])
    expect(tasks[0].tags).to.deep.equal(['webtag'])
    expect(tasks[0].when).to.deep.equal(['enabled'])
    expect(tasks[0].become).to.equal(true)
    expect(tasks[1].where.file).to.equal(join(dir, 'roles/web/tasks/more.yaml'))
    expect(tasks[1].where.line).to.equal(1)
    expect(tasks[2].when).to.deep.equal([])
    expect(play.roles[0].defaults).to.deep.equal({ port: 80 })
    expect(play.roles[0].vars).to.deep.equal({ user: 'www' })
    expect(play.handlers.map((h) => h.name)).to.deep.equal(['restart'])
  })

  it('keeps blocks with rescue and always, passing keywords down', () => {
    const dir = tree({
      'site.yaml': `- hosts: all\n  tasks:\n    - block:\n        - command: /bin/false\n      rescue:\n        - debug: msg=rescued\n      always:\n        - debug: msg=always\n      when: x is defined\n      become: true\n`,
    })
    const b = loadPlaybook(join(dir, 'site.yaml'), opts()).plays[0].items[0] as BlockDef
    expect(b.kind).to.equal('block')
    expect((b.block[0] as TaskDef).when).to.deep.equal(['x is defined'])
    expect((b.rescue[0] as TaskDef).become).to.equal(true)
    expect((b.always[0] as TaskDef).module).to.equal('debug')
  })

  it('names file and line for structural mistakes, with a suggestion', () => {
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks:\n    - name: x\n      comand: ls\n' }))
      .to.match(/DIR\/site.yaml:4.*unknown module or keyword 'comand'.*did you mean 'command'/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  taks: []\n' })).to.match(/site.yaml:2.*unknown play keyword 'taks'.*did you mean 'tasks'/)
    expect(loadError({ 'site.yaml': '- name: no hosts\n  tasks: []\n' })).to.match(/site.yaml:1.*needs 'hosts'/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks:\n    - name: two\n      command: ls\n      file: path=/x\n' })).to.match(/more than one module/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks:\n    - file:\n        path: /x\n        bogus: 1\n' })).to.match(/site.yaml:3.*unknown parameter bogus/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  roles: [missing]\n' })).to.match(/role 'missing' not found/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  serial: lots\n' })).to.match(/serial must be/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks:\n    - import_tasks: "{{ f }}.yaml"\n' })).to.match(/templated file name is not supported/)
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks: [\n' })).to.match(/site.yaml:\d+: invalid YAML/)
  })

  it('reads loop forms, retries and conditions', () => {
    const dir = tree({
      'site.yaml': `- hosts: all\n  tasks:\n    - command: echo {{ item }}\n      with_items: [a, b]\n      register: r\n      until: r.rc == 0\n      retries: "4"\n      delay: 0\n      changed_when: false\n      failed_when: [r.rc > 1, "'x' in r.stdout"]\n      loop_control: { loop_var: it, label: "{{ it }}" }\n`,
    })
    const t = loadPlaybook(join(dir, 'site.yaml'), opts()).plays[0].items[0] as TaskDef
    expect(t.loop).to.deep.equal(['a', 'b'])
    expect(t).to.include({ register: 'r', until: 'r.rc == 0', retries: 4, delay: 0, loopVar: 'it', loopLabel: '{{ it }}' })
    expect(t.changedWhen).to.deep.equal([false])
    expect(t.failedWhen).to.deep.equal(['r.rc > 1', "'x' in r.stdout"])
  })

  it('keeps templated retries and delay for the run to render (kubespray: retries: "{{ drain_retries }}")', () => {
    const dir = tree({
      'site.yaml': '- hosts: all\n  tasks:\n    - command: "true"\n      register: r\n      until: r.rc == 0\n      retries: "{{ drain_retries }}"\n      delay: "{{ drain_retry_delay_seconds }}"\n',
    })
    const t = loadPlaybook(join(dir, 'site.yaml'), opts()).plays[0].items[0] as TaskDef
    expect(t).to.include({ retries: '{{ drain_retries }}', delay: '{{ drain_retry_delay_seconds }}' })
    expect(loadError({ 'site.yaml': '- hosts: all\n  tasks:\n    - command: "true"\n      retries: lots\n' })).to.match(/'retries' must be a whole number/)
  })
})
