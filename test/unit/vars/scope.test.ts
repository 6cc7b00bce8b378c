import { expect } from 'chai'
import { ExprError, TemplateError } from '../../../src/engine/errors.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

const layer = (vars: Record<string, unknown>, source = 'group_vars/all.yml', lines?: Record<string, number>) => ({ source, vars, lines })

describe('VarScope', () => {
  it('renders lazily with native values and caches', () => {
    const s = new VarScope([layer({ dir: '/etc/kubernetes', ssl: '{{ dir }}/ssl', port: 6443, p: '{{ port }}', l: '{{ [1, 2] }}' })], { host: 'n1' })
    expect(s.get('ssl')).to.equal('/etc/kubernetes/ssl')
    expect(s.get('p')).to.equal(6443)
    expect(s.get('l')).to.deep.equal([1, 2])
    expect(s.get('l')).to.equal(s.get('l'))
  })

  it('gives higher layers precedence, top-level keys replace without merging', () => {
    const s = new VarScope([layer({ a: { x: 1, y: 2 }, b: 1 }), layer({ a: { x: 3 } }, 'host_vars/n1.yml')], { host: 'n1' })
    expect(s.get('a')).to.deep.equal({ x: 3 })
    expect(s.raw('a')).to.deep.equal({ value: { x: 3 }, source: 'host_vars/n1.yml', line: undefined })
    expect(s.get('b')).to.equal(1)
  })

  it('never fails on an unused bad value, and names var, file, line, host when used', () => {
    const s = new VarScope([layer({ ok: 1, bad: '{{ missing_var }}' }, 'group_vars/all/all.yml', { bad: 12 })], { host: 'node7' })
    expect(s.get('ok')).to.equal(1)
    expect(() => s.get('bad'))
      .to.throw(TemplateError)
      .with.property('message')
      .that.matches(/group_vars\/all\/all\.yml:12, host node7: variable 'bad'.*'missing_var' is undefined.*\{\{ missing_var \}\}/)
  })

  it('reports cycles with the chain', () => {
    const s = new VarScope([layer({ a: '{{ b }}', b: '{{ c }}', c: '{{ a }}' })], { host: 'h' })
    expect(() => s.get('a')).to.throw(/cycle: a -> b -> c -> a/)
  })

  it('evaluates conditions, with undefined only allowed under tests and default()', () => {
    const s = new VarScope([layer({ n: 3, bad: '{{ nope }}' })], { host: 'h' })
    expect(s.truthy('n > 2 and x is not defined')).to.equal(true)
    expect(s.truthy('bad is defined')).to.equal(false)
    expect(s.evaluate("bad | default('z')")).to.equal('z')
    expect(s.truthy(true)).to.equal(true)
    expect(s.truthy(['n == 3', 'n < 5'])).to.equal(true)
    expect(() => s.evaluate('x + 1', { task: 't1' })).to.throw(ExprError, /host h, task "t1": 'x' is undefined in "x \+ 1"/)
  })

  it('child scopes override and reuse the parent cache when nothing they read is shadowed', () => {
    let calls = 0
    const s = new VarScope([layer({ base: '/opt', d: '{{ base }}/bin' })], { host: 'h', magic: { counted: () => ++calls } })
    const c = s.child({ source: 'task vars', vars: { base: '/usr' } })
    expect(c.get('d')).to.equal('/usr/bin')
    expect(s.get('d')).to.equal('/opt/bin')
    expect(c.get('counted')).to.equal(1)
    const item = s.child({ source: 'loop', vars: { item: { name: 'x' } }, literal: true })
    expect(item.render('{{ item.name }}-{{ d }}')).to.equal('x-/opt/bin')
  })

  it('re-renders in a child a value the parent could not render for lack of a name the child defines', () => {
    const s = new VarScope([layer({ greeting: 'hi {{ who }}' })], { host: 'h' })
    expect(() => s.get('greeting')).to.throw(/'who' is undefined/)
    expect(s.child({ source: 'task vars', vars: { who: 'you' } }).get('greeting')).to.equal('hi you')
  })

  it('treats a variable whose value needs an undefined name as undefined for default() and is defined', () => {
    const s = new VarScope([layer({ a: '{{ b }}', c: "{{ a | default('fallback') }}" })], { host: 'h' })
    expect(s.get('c')).to.equal('fallback')
    expect(s.truthy('a is defined')).to.equal(false)
  })

  it('renders nested lists and dict keys, and leaves literal layers alone', () => {
    const s = new VarScope([layer({ k: 'name', v: 1, d: { '{{ k }}': ['{{ v }}', 'x{{ v }}'] } }), { source: 'register', vars: { out: { stdout: '{{ not a template }}' } }, literal: true }], { host: 'h' })
    expect(s.get('d')).to.deep.equal({ name: [1, 'x1'] })
    expect(s.get('out')).to.deep.equal({ stdout: '{{ not a template }}' })
  })
})
