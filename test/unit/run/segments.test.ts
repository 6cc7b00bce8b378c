import { expect } from 'chai'
import { segmentTasks } from '../../../src/engine/run/segments.js'
import { serialBatches } from '../../../src/engine/run/serial.js'
import { valueFreeVars, freeVars } from '../../../src/engine/expr/index.js'
import type { TaskDef } from '../../../src/engine/playbook/model.js'

let id = 0
function task(module: string, extra: Partial<TaskDef> = {}): TaskDef {
  return {
    kind: 'task', id: ++id, name: `${module}-${id}`, module, args: {}, where: {}, when: [], loopVar: 'item', notify: [],
    tags: [], runOnce: false, delay: 5, ignoreErrors: false, noLog: false, environment: [], vars: {}, ...extra,
  }
}

const rules = {
  isLocal: (m: string) => ['debug', 'set_fact', 'assert'].includes(m),
  reads: (v: unknown, bare: boolean) => (bare && typeof v === 'string' ? [...freeVars(v)] : [...valueFreeVars(v)]),
}

const shape = (tasks: TaskDef[]) => segmentTasks(tasks, rules).map((s) => s.map((t) => t.module))

describe('segments: which tasks go to a host as one script', () => {
  it('batches independent remote tasks together', () => {
    expect(shape([task('file'), task('template'), task('command'), task('lineinfile')])).to.deep.equal([['file', 'template', 'command', 'lineinfile']])
  })

  it('splits before a task that reads a variable registered in the same segment', () => {
    const t = [task('command', { register: 'out' }), task('file'), task('copy', { when: ['out.rc == 0'] }), task('file')]
    expect(shape(t)).to.deep.equal([['command', 'file'], ['copy', 'file']])
  })

  it('sees registered names inside templated arguments and loops', () => {
    const t = [task('command', { register: 'r' }), task('copy', { args: { content: '{{ r.stdout }}' } })]
    expect(shape(t)).to.have.length(2)
    const l = [task('command', { register: 'r' }), task('file', { loop: '{{ r.stdout_lines }}' })]
    expect(shape(l)).to.have.length(2)
  })

  it('sees a registered name read through a variable defined by a template, however deep', () => {
    const defs: Record<string, unknown> = { content: '{{ wrapped | upper }}', wrapped: '{{ r.stdout }}-x', plain: 'text' }
    const withDefs = { ...rules, definitionReads: (n: string) => (n in defs ? rules.reads(defs[n], false) : []) }
    const split = segmentTasks([task('command', { register: 'r' }), task('copy', { args: { content: '{{ content }}' } })], withDefs)
    expect(split.map((s) => s.length)).to.deep.equal([1, 1])
    const joined = segmentTasks([task('command', { register: 'r' }), task('copy', { args: { content: '{{ plain }}' } })], withDefs)
    expect(joined.map((s) => s.length)).to.deep.equal([2])
    const loop = { ...rules, definitionReads: (n: string) => (n === 'a' ? ['b'] : n === 'b' ? ['a', 'r'] : []) }
    expect(segmentTasks([task('command', { register: 'r' }), task('copy', { args: { content: '{{ a }}' } })], loop)).to.have.length(2)
  })

  it('keeps controller tasks, run_once, delegation and retries alone', () => {
    const t = [task('file'), task('debug'), task('file'), task('command', { runOnce: true }), task('file'),
      task('command', { until: 'x', retries: 2 }), task('file'), task('command', { delegateTo: 'h1' }), task('file')]
    expect(shape(t)).to.deep.equal([['file'], ['debug'], ['file'], ['command'], ['file'], ['command'], ['file'], ['command'], ['file']])
  })

  it('ends a segment after failed_when and when privilege escalation changes', () => {
    const t = [task('command', { failedWhen: ['false'] }), task('file'), task('file', { become: true }), task('file', { become: true })]
    expect(shape(t)).to.deep.equal([['command'], ['file'], ['file', 'file']])
  })
})

describe('serial batches', () => {
  const hosts = ['a', 'b', 'c', 'd', 'e']
  it('splits by number, percentage and lists whose last entry repeats', () => {
    expect(serialBatches(hosts, [])).to.deep.equal([hosts])
    expect(serialBatches(hosts, [2])).to.deep.equal([['a', 'b'], ['c', 'd'], ['e']])
    expect(serialBatches(hosts, ['40%'])).to.deep.equal([['a', 'b'], ['c', 'd'], ['e']])
    expect(serialBatches(hosts, [1, '50%'])).to.deep.equal([['a'], ['b', 'c'], ['d', 'e']])
    expect(serialBatches(hosts, ['10%'])).to.have.length(5)
  })
})
