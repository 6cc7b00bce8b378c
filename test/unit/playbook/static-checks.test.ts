import { expect } from 'chai'
import { checkPlayStatically } from '../../../src/engine/playbook/static-checks.js'
import type { TaskDef } from '../../../src/engine/playbook/model.js'

const task = (extra: Partial<TaskDef> = {}): TaskDef => ({
  kind: 'task', id: 1, name: 't', module: 'command', args: {}, where: { file: 'p.yaml', line: 3 }, when: [], loopVar: 'item', notify: [],
  tags: [], runOnce: false, delay: 5, ignoreErrors: false, noLog: false, environment: [], vars: {}, ...extra,
})

describe('static checks of a loaded play', () => {
  it('passes expressions, filters and tests kubeseed has, and notify that names a handler (or its listen)', () => {
    const handler = task({ name: 'restart kubelet', listen: ['kubelet changed'] })
    expect(() => checkPlayStatically([task({
      when: ["inventory_hostname in groups['etcd']", 'x is defined', true], until: 'r.rc == 0',
      args: { cmd: "echo {{ kube_version | regex_replace('^v', '') }}" }, notify: ['kubelet changed'],
    })], [handler])).not.to.throw()
  })

  it('refuses, at the task’s file:line, an expression that does not parse, an unknown filter or test, and a notify without handler', () => {
    const cases: Array<[Partial<TaskDef>, RegExp]> = [
      [{ when: ['a =='], where: { file: 'p.yaml', line: 3, task: 't' } }, /^p\.yaml:3, task "t": when: cannot parse expression "a =="/],
      [{ failedWhen: ['x is definedd'] }, /failed_when: test 'definedd' is not supported/],
      [{ args: { cmd: '{{ x | uper }}' } }, /command arguments: filter 'uper' is not supported/],
      [{ loop: '{{ items | nosuch }}' }, /loop: filter 'nosuch'/],
      [{ notify: ['restart nothing'] }, /notify 'restart nothing' names no handler of this play/],
    ]
    for (const [extra, re] of cases) expect(() => checkPlayStatically([task(extra)], []), String(re)).to.throw(re)
  })
})
