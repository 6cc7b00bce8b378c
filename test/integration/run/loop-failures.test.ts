// A looped task whose item fails, as Ansible runs it: every item runs, the task's registered result holds every
// item (`failed` on the failing ones, `msg` "One or more items failed"), and only then does the host fail.

import { expect } from 'chai'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { playLocal, statuses } from '../../harness/play.js'

describe('loops with failing items (Ansible parity)', function () {
  this.timeout(60_000)

  it('runs every item, then fails the task; later tasks of the same batch do not run', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      shell: "touch {{ work }}/{{ inventory_hostname }}-{{ item }} && [ {{ item }} != 2 ]"
      loop: [1, 2, 3]
    - name: after
      copy: {dest: "{{ work }}/{{ inventory_hostname }}-after", content: "ran"}
`, { hosts: ['h1'] })
    expect(statuses(o, 'items')).to.deep.equal({ 'h1:1': 'changed', 'h1:2': 'failed', 'h1:3': 'changed' })
    for (const n of [1, 2, 3]) expect(existsSync(join(o.dir, `h1-${n}`)), `item ${n} ran`).to.equal(true)
    expect(existsSync(join(o.dir, 'h1-after'))).to.equal(false)
    expect(statuses(o, 'after')).to.deep.equal({})
    expect(o.code).to.not.equal(0)
    expect(o.recap.hosts.h1).to.include({ failed: 1, ok: 0, changed: 0 })
    expect(o.recap.failures.h1).to.match(/items/).and.match(/item 2: /)
  })

  it('names the first failed item and counts the others in the one failure line', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      command: "sh -c 'echo bad {{ item }} >&2; exit {{ item }}'"
      loop: [0, 3, 4]
`, { hosts: ['h1'] })
    expect(statuses(o, 'items')).to.deep.equal({ 'h1:0': 'changed', 'h1:3': 'failed', 'h1:4': 'failed' })
    expect(o.recap.failures.h1).to.match(/item 3: .*bad 3/).and.match(/1 more of 3 items failed/)
    expect(o.recap.failures.h1).to.not.match(/bad 4/)
  })

  it('registers every item with ignore_errors: failed on the failing one, the task failed and ignored', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      command: "sh -c 'exit {{ item }}'"
      loop: [0, 5, 0]
      register: looped
      ignore_errors: true
    - name: check
      assert:
        that:
          - looped.results | length == 3
          - looped.failed
          - looped.msg == 'One or more items failed'
          - looped.results | map(attribute='failed') | list == [false, true, false]
          - looped.results | map(attribute='rc') | list == [0, 5, 0]
          - looped.results[1].item == 5
          - looped.results[1].ansible_loop_var == 'item'
`, { hosts: ['h1'] })
    expect(o.code, JSON.stringify(o.recap.failures)).to.equal(0)
    expect(statuses(o, 'check')).to.deep.equal({ h1: 'ok' })
    expect(o.results.find((r) => r.task === 'items' && r.item === '5')?.ignored).to.equal(true)
    // The looped task counts once: as ok and ignored.
    expect(o.recap.hosts.h1).to.include({ failed: 0, ignored: 1, ok: 2 })
  })

  it('judges failed_when per item, on that item’s own registered result', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      shell: "echo {{ item }}; [ {{ item }} != 3 ] || exit 3"
      loop: [0, 2, 3]
      register: r
      failed_when: r.stdout == '2'
    - name: never
      debug: {msg: "{{ r.results | length }}"}
`, { hosts: ['h1'] })
    expect(statuses(o, 'items')).to.deep.equal({ 'h1:0': 'changed', 'h1:2': 'failed', 'h1:3': 'changed' })
    expect(statuses(o, 'never')).to.deep.equal({})
    expect(o.recap.failures.h1).to.match(/item 2: failed_when is true/)
  })

  it('a controller task (assert) in a loop also tells every item before failing', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      assert: {that: ["item != 'b'"]}
      loop: [a, b, c]
      register: checked
      ignore_errors: true
    - name: after
      debug: {msg: "{{ checked.results | selectattr('failed') | map(attribute='item') | join(',') }}"}
    - name: again
      assert: {that: ["item != 'b'"]}
      loop: [a, b, c]
`, { hosts: ['h1'] })
    expect(statuses(o, 'items')).to.deep.equal({ 'h1:a': 'ok', 'h1:b': 'failed', 'h1:c': 'ok' })
    expect(o.results.find((r) => r.task === 'after')?.msg).to.equal('b')
    expect(statuses(o, 'again')).to.deep.equal({ 'h1:a': 'ok', 'h1:b': 'failed', 'h1:c': 'ok' })
    expect(o.recap.failures.h1).to.match(/again/).and.match(/item b/)
  })

  it('an item that cannot be prepared (undefined variable) ends the loop there, as in ansible-core 2.14–2.18', async () => {
    const o = await playLocal(`
- hosts: g
  gather_facts: false
  tasks:
    - name: items
      copy: {dest: "{{ work }}/{{ item.name }}", content: "x"}
      loop: [{name: a}, {}, {name: c}]
`, { hosts: ['h1'] })
    expect(existsSync(join(o.dir, 'a'))).to.equal(true)
    expect(existsSync(join(o.dir, 'c')), 'the item after the bad one did not run').to.equal(false)
    expect(o.code).to.equal(4)
    expect(o.recap.hosts.h1).to.include({ failed: 1 })
  })
})
