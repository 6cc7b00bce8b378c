import { expect } from 'chai'
import { applyConditions, fromLocal, resultOf } from '../../../src/engine/run/results.js'
import { filterTags } from '../../../src/engine/run/tags.js'
import type { TaskDef } from '../../../src/engine/playbook/model.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

const task = (extra: Partial<TaskDef> = {}): TaskDef => ({
  kind: 'task', id: 1, name: 't', module: 'command', args: {}, where: {}, when: [], loopVar: 'item', notify: [],
  tags: [], runOnce: false, delay: 5, ignoreErrors: false, noLog: false, environment: [], vars: {}, ...extra,
})

const out = (rc: number | null, changes: string[] = [], stdout = '', stderr = '') => ({ rc, stdout, stderr, changes, diff: '' })
const scope = () => new VarScope([], { host: 'h' })

describe('task results', () => {
  it('maps a step output to a status and Ansible-shaped register data', () => {
    expect(resultOf(out(0)).status).to.equal('ok')
    expect(resultOf(out(0, ['wrote x'])).status).to.equal('changed')
    const failed = resultOf(out(2, [], '', 'line1\nline2\nbad thing\n'))
    expect(failed.status).to.equal('failed')
    expect(failed.msg).to.equal('line1 | line2 | bad thing')
    const r = resultOf(out(0, [], 'a\nb\n'))
    expect(r.data).to.include({ rc: 0, stdout: 'a\nb', changed: false, failed: false })
    expect(r.data.stdout_lines).to.deep.equal(['a', 'b'])
    expect(resultOf(out(0, [], '')).data.stdout_lines).to.deep.equal([])
    expect(resultOf({ ...out(0), skipped: 'would run' }).status).to.equal('skipped')
  })

  it('applies changed_when and failed_when with the registered result, and ignore_errors', () => {
    const t = task({ register: 'r', changedWhen: ["'changed' in r.stdout"], failedWhen: ['r.rc > 1'] })
    expect(applyConditions(t, scope(), resultOf(out(1, [], 'nothing'))).status).to.equal('ok')
    expect(applyConditions(t, scope(), resultOf(out(1, [], 'changed it'))).status).to.equal('changed')
    const f = applyConditions(t, scope(), resultOf(out(2)))
    expect(f.status).to.equal('failed')
    const ignored = applyConditions(task({ ignoreErrors: true }), scope(), resultOf(out(5)))
    expect(ignored).to.include({ status: 'failed', ignored: true })
    expect(applyConditions(task({ changedWhen: [false] }), scope(), resultOf(out(0, ['x']))).status).to.equal('ok')
  })

  it('turns a controller task answer into a result', () => {
    expect(fromLocal({ failed: true, msg: 'no' })).to.include({ status: 'failed', msg: 'no' })
    expect(fromLocal({ changed: true }).status).to.equal('changed')
    expect(fromLocal({ data: { x: 1 } }).data).to.include({ x: 1, changed: false })
  })
})

describe('--tags and --skip-tags', () => {
  const items = [task({ name: 'a', tags: ['a'] }), task({ name: 'always', tags: ['always'] }), task({ name: 'never', tags: ['never', 'dbg'] }), task({ name: 'none' })]
  const names = (tags: string[], skip: string[]) => filterTags(items, tags, skip).map((i) => (i as TaskDef).name)
  const table: Array<[string[], string[], string[]]> = [
    [[], [], ['a', 'always', 'none']],
    [['a'], [], ['a', 'always']],
    [['dbg'], [], ['always', 'never']],
    [['tagged'], [], ['a', 'always']],
    [['untagged'], [], ['always', 'none']],
    [[], ['a'], ['always', 'none']],
    [[], ['always'], ['a', 'none']],
    [['all'], [], ['a', 'always', 'none']],
  ]
  for (const [tags, skip, want] of table) {
    it(`--tags ${tags.join(',') || '-'} --skip-tags ${skip.join(',') || '-'} keeps ${want.join(', ')}`, () => {
      expect(names(tags, skip)).to.deep.equal(want)
    })
  }
})
