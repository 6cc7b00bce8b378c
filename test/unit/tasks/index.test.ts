import { expect } from 'chai'
import { taskType, taskTypeNames } from '../../../src/tasks/index.js'

describe('task registry', () => {
  it('finds types by name, alias and ansible.builtin. name', () => {
    expect(taskType('copy')?.name).to.equal('copy')
    expect(taskType('ansible.builtin.lineinfile')?.name).to.equal('lineinfile')
    expect(taskType('nope')).to.equal(undefined)
  })

  it('lists every name, sorted, including the core types', () => {
    const names = taskTypeNames()
    expect(names).to.deep.equal([...names].sort())
    for (const n of ['assert', 'command', 'copy', 'debug', 'fail', 'lineinfile', 'meta', 'set_fact', 'shell', 'template']) {
      expect(names).to.include(n)
    }
  })

  it('gives every parameter a type and every choice-bearing default a valid choice', () => {
    for (const n of taskTypeNames()) {
      const t = taskType(n)!
      for (const [k, d] of Object.entries(t.params)) {
        expect(d.type, `${t.name}.${k}`).to.be.a('string')
        if (d.choices && d.default !== undefined) expect(d.choices, `${t.name}.${k}`).to.include(String(d.default))
      }
    }
  })
})
