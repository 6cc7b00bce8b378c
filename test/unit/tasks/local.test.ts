import { expect } from 'chai'
import { parseParams } from '../../../src/engine/params.js'
import type { LocalTaskType } from '../../../src/engine/task.js'
import { assert } from '../../../src/tasks/assert.js'
import { debug } from '../../../src/tasks/debug.js'
import { fail } from '../../../src/tasks/fail.js'
import { meta, type MetaParams } from '../../../src/tasks/meta.js'
import { setFact } from '../../../src/tasks/set-fact.js'
import { planContext } from './plan-context.js'

const where = { file: 'p.yaml', line: 1 }
const vars = { kube_version: 'v1.31.2', nodes: 3, enabled: true }
function runLocal<P>(t: LocalTaskType<P>, raw: unknown) {
  return t.run(parseParams(t, raw, where, { templated: true }), planContext({ vars }))
}

describe('local task types', () => {
  it('debug prints msg, or a variable by name', async () => {
    expect(await runLocal(debug, { msg: 'hi' })).to.include({ msg: 'hi', changed: false })
    expect((await runLocal(debug, { var: 'nodes' })).data).to.deep.equal({ nodes: 3 })
    // Printed as Ansible prints it, always, and a missing name is reported rather than failed.
    expect(await runLocal(debug, { var: 'kube_version' })).to.include({ msg: '"kube_version": "v1.31.2"', display: true })
    expect((await runLocal(debug, { var: 'missing' })).msg).to.equal('"missing": "VARIABLE IS NOT DEFINED!"')
    expect((await runLocal(debug, {})).msg).to.equal('Hello world!')
    expect(() => parseParams(debug, { msg: 'a', var: 'b' }, where, { templated: true })).to.throw(/exclude/)
  })

  it('set_fact returns the facts to set', async () => {
    const r = await runLocal(setFact, { a: 1, b: 'x' })
    expect(r.facts).to.deep.equal({ a: 1, b: 'x' })
    expect(r.changed).to.equal(false)
  })

  it('assert evaluates every expression and fails with fail_msg on the first false one', async () => {
    const ok = await runLocal(assert, { that: ['nodes == 3', 'enabled', true], success_msg: 'fine' })
    expect(ok).to.include({ msg: 'fine' })
    expect(ok.failed).to.not.equal(true)
    const bad = await runLocal(assert, { that: ['nodes == 3', "kube_version == 'v1.30.0'"], fail_msg: 'wrong version' })
    expect(bad).to.include({ failed: true, msg: 'wrong version' })
    expect(bad.data).to.deep.include({ assertion: "kube_version == 'v1.30.0'" })
    expect((await runLocal(assert, { that: 'nodes == 4' })).failed).to.equal(true)
  })

  it('fail fails with its message', async () => {
    expect(await runLocal(fail, { msg: 'stop here' })).to.include({ failed: true, msg: 'stop here' })
    expect((await runLocal(fail, {})).msg).to.equal('Failed as requested from task')
  })

  it('meta names the action for the runner and refuses unknown ones', () => {
    expect(meta.action(parseParams(meta, 'flush_handlers', where, { templated: true }) as MetaParams)).to.equal('flush_handlers')
    expect(meta.action(parseParams(meta, 'end_batch', where, { templated: true }) as MetaParams)).to.equal('end_batch')
    expect(() => parseParams(meta, 'flush_handler', where, { templated: true })).to.throw(/did you mean "flush_handlers"/)
  })
})
