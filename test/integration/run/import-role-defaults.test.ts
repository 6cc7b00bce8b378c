// import_role brings the role's defaults into the play, as Ansible does: every task of the play reads them,
// the inventory still overrides them, and the role's `roles:` order is left as written.

import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { playLocal } from '../../harness/play.js'

describe('run: import_role and its defaults', () => {
  it('a task outside the role reads an imported role\'s defaults; -e still wins', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-import-role-'))
    mkdirSync(join(dir, 'roles', 'settings', 'defaults'), { recursive: true })
    mkdirSync(join(dir, 'roles', 'settings', 'tasks'), { recursive: true })
    writeFileSync(join(dir, 'roles', 'settings', 'defaults', 'main.yaml'), 'drain_timeout: 360s\ndrain_nodes: true\n')
    writeFileSync(join(dir, 'roles', 'settings', 'tasks', 'plan.yaml'), '- name: inside\n  debug: { msg: "{{ drain_timeout }}" }\n')
    const playbook = `
- hosts: g
  gather_facts: false
  tasks:
    - name: before
      debug: { msg: "{{ drain_nodes }} {{ drain_timeout }}" }
    - import_role: { name: settings, tasks_from: plan }
`
    const o = await playLocal(playbook, { hosts: ['h1'], dir })
    expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
    expect(o.results.map((r) => `${r.task}: ${r.msg}`)).to.deep.equal(['before: True 360s', 'inside: 360s'])
    const overridden = await playLocal(playbook, { hosts: ['h1'], dir, extraVars: { drain_timeout: '5s' } })
    expect(overridden.results.map((r) => r.msg)).to.deep.equal(['True 5s', '5s'])
  })
})
