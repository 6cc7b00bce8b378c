import { PyFloat } from '../../../src/engine/py-float.js'
import { expect } from 'chai'
import { PlaybookError } from '../../../src/engine/errors.js'
import { parseParams } from '../../../src/engine/params.js'
import { shlexSplit } from '../../../src/engine/shlex.js'
import { command } from '../../../src/tasks/command.js'
import { copy } from '../../../src/tasks/copy.js'
import { lineinfile } from '../../../src/tasks/lineinfile.js'
import { setFact } from '../../../src/tasks/set-fact.js'
import { shell } from '../../../src/tasks/shell.js'
import type { TaskType } from '../../../src/engine/task.js'

const where = { file: 'roles/k/tasks/main.yaml', line: 12 }
const run = <P>(t: TaskType<P>, raw: unknown) => parseParams(t, raw, where, { templated: true })
const load = <P>(t: TaskType<P>, raw: unknown) => parseParams(t, raw, where, { templated: false })

function errorOf(fn: () => unknown): PlaybookError {
  try {
    fn()
  } catch (e) {
    expect(e).to.be.instanceOf(PlaybookError)
    return e as PlaybookError
  }
  throw new Error('expected a PlaybookError')
}

describe('parseParams', () => {
  it('resolves aliases and fills defaults', () => {
    const p = run(lineinfile, { dest: '/etc/x', line: 'a=1' })
    expect(p).to.include({ path: '/etc/x', line: 'a=1', state: 'present', create: false, backrefs: false })
  })

  it('names module, parameter, file:line and a suggestion for an unknown key', () => {
    const e = errorOf(() => run(copy, { dest: '/x', content: 'a', modee: '0644' }))
    expect(e.message).to.include('roles/k/tasks/main.yaml:12').and.include('copy').and.include('"modee"')
    expect(e.message).to.include('did you mean "mode"')
  })

  it('reports a missing required parameter with its aliases', () => {
    const e = errorOf(() => run(lineinfile, { line: 'x' }))
    expect(e.message).to.include('missing required parameter "path" or "dest"')
  })

  it('rejects a value outside the choices and suggests the nearest', () => {
    const e = errorOf(() => run(lineinfile, { path: '/x', line: 'a', state: 'presnt' }))
    expect(e.message).to.include('"presnt"').and.include('did you mean "present"').and.include('choices: present, absent')
  })

  it('rejects an alias given together with its parameter', () => {
    expect(errorOf(() => run(lineinfile, { path: '/x', dest: '/y', line: 'a' })).message).to.include('same thing')
  })

  const boolCases: Array<[unknown, boolean]> = [
    [true, true], ['yes', true], ['True', true], ['on', true], [1, true], ['1', true],
    [false, false], ['no', false], ['False', false], ['off', false], [0, false], ['0', false],
  ]
  for (const [input, want] of boolCases) {
    it(`coerces ${JSON.stringify(input)} to bool ${want}`, () => {
      expect(run(copy, { dest: '/x', content: '', force: input }).force).to.equal(want)
    })
  }

  it('refuses a non-boolean word for a bool', () => {
    expect(errorOf(() => run(copy, { dest: '/x', content: '', force: 'maybe' })).message).to.include('must be a boolean')
  })

  const modeCases: Array<[unknown, string]> = [
    [0o644, '0644'], [420, '0644'], [0o755, '0755'], ['0644', '0644'], ['644', '0644'], ['0600', '0600'], [0o1777, '01777'], ['2755', '2755'],
  ]
  for (const [input, want] of modeCases) {
    it(`takes mode ${JSON.stringify(input)} as ${want}`, () => {
      expect(run(copy, { dest: '/x', content: '', mode: input }).mode).to.equal(want)
    })
  }

  it('refuses an unquoted decimal mode like 644 (octal 1204) and says to quote it', () => {
    const e = errorOf(() => run(copy, { dest: '/x', content: '', mode: 644 }))
    expect(e.message).to.include("'0644'")
  })

  it('takes octal and symbolic modes (and preserve) as Ansible does; refuses malformed ones', () => {
    for (const mode of ['u+rwx', 'g-s', 'u=rwx,g=rx,o=', 'a+X', '=r', 'u=rw-x+X', 'preserve']) {
      expect(run(copy, { dest: '/x', content: '', mode }).mode, mode).to.equal(mode)
    }
    for (const mode of ['0999', 'u+q', 'rwx', 'u+x,', 'z=r']) expect(() => run(copy, { dest: '/x', content: '', mode }), mode).to.throw(PlaybookError)
  })

  it('coerces ints and lists from strings', () => {
    const intType: TaskType<{ n: number; l: number[] }> = {
      kind: 'local', name: 't', params: { n: { type: 'int' }, l: { type: 'list', items: 'int' } }, run: () => ({}),
    }
    expect(run(intType, { n: '10', l: '1, 2,3' })).to.deep.equal({ n: 10, l: [1, 2, 3] })
    expect(() => run(intType, { n: '1.5' })).to.throw(PlaybookError, /integer/)
  })

  it('takes a float written 5.0 (a Python float) for a number parameter', () => {
    const numType: TaskType<{ x: number }> = { kind: 'local', name: 't', params: { x: { type: 'number' } }, run: () => ({}) }
    expect(run(numType, { x: new PyFloat(5) })).to.deep.equal({ x: 5 })
  })

  it('skips type and choice checks for templated values at load time only', () => {
    const p = load(lineinfile, { path: '/x', line: 'a', state: '{{ st }}', create: '{{ c }}' })
    expect(p.state).to.equal('{{ st }}')
    expect(() => run(lineinfile, { path: '/x', line: 'a', create: '{{ c }}' })).to.throw(PlaybookError, /boolean/)
  })

  it('still rejects unknown keys at load time', () => {
    expect(() => load(copy, { dest: '{{ d }}', content: 'x', bogus: 1 })).to.throw(PlaybookError, /unknown parameter "bogus"/)
  })

  it('splits free-form command text and extracts known key=value options', () => {
    const p = run(command, 'kubeadm init --config=/etc/k.yaml creates=/etc/kubernetes/admin.conf chdir=/tmp')
    expect(p).to.include({ cmd: 'kubeadm init --config=/etc/k.yaml', creates: '/etc/kubernetes/admin.conf', chdir: '/tmp' })
  })

  it('keeps free-form shell text verbatim apart from the extracted options', () => {
    const p = run(shell, `echo "a  b" | tr a x > /tmp/o removes=/tmp/in`)
    expect(p.cmd).to.equal('echo "a  b" | tr a x > /tmp/o')
    expect(p.removes).to.equal('/tmp/in')
  })

  it('parses key=value text for non-free-form modules, with quoted values', () => {
    const p = run(lineinfile, `path=/etc/hosts line="127.0.0.1 localhost" create=yes`)
    expect(p).to.include({ path: '/etc/hosts', line: '127.0.0.1 localhost', create: true })
    expect(errorOf(() => run(lineinfile, 'path=/etc/hosts oops')).message).to.include('"oops" is not key=value')
  })

  it('lets set_fact take any key, keeping values as they are', () => {
    const p = run(setFact, { a: 1, b: { c: [1] }, n: null }) as Record<string, unknown>
    expect(p).to.deep.equal({ a: 1, b: { c: [1] }, n: null, cacheable: false })
    expect(run(setFact, 'x=1 y=two')).to.deep.include({ x: '1', y: 'two' })
  })

  it('refuses a list where a dict of arguments is expected', () => {
    expect(errorOf(() => run(copy, ['a'])).message).to.include('arguments must be a dict')
  })

  it('runs the type\'s cross-field validation', () => {
    expect(errorOf(() => run(copy, { dest: '/x' })).message).to.include('exactly one of "src" and "content"')
  })
})

describe('shlexSplit', () => {
  const cases: Array<[string, string[]]> = [
    ['a b  c', ['a', 'b', 'c']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    [`x\\ y "q\\"uote" 'it'\\''s'`, ['x y', 'q"uote', "it's"]],
    [`a"b"c`, ['abc']],
    [`"$HOME" '$(id)'`, ['$HOME', '$(id)']],
    ['', []],
  ]
  for (const [input, want] of cases) {
    it(`splits ${JSON.stringify(input)}`, () => expect(shlexSplit(input)).to.deep.equal(want))
  }
  it('fails on an unbalanced quote', () => expect(() => shlexSplit(`echo 'a`)).to.throw(/closing quotation/))
})

describe('cross-field validation waits for final values', () => {
  it('defers validate() at load time while a value is a template, and runs it at run time', async () => {
    const { sysctl } = await import('../../../src/tasks/sysctl.js')
    const where = { file: 'roles/x/tasks/main.yaml', line: 3 }
    expect(() => parseParams(sysctl, { name: '{{ item }}', value: '1' }, where, { templated: false })).to.not.throw()
    expect(() => parseParams(sysctl, { name: 'bad key', value: '1' }, where, { templated: true })).to.throw(/not a sysctl key/)
    expect(() => parseParams(sysctl, { name: 'bad key', value: '1' }, where, { templated: false })).to.throw(/not a sysctl key/)
  })
})
