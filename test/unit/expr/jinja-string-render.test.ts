import { expect } from 'chai'
import fc from 'fast-check'
import { ExprError } from '../../../src/engine/errors.js'
import { freeVars, literalValue, pyRepr, renderString, templateFreeVars, Undefined, valueFreeVars, type Env } from '../../../src/engine/expr/index.js'

const VARS: Record<string, unknown> = { a: 'x', n: 2, l: ['p', 'q'], d: { k: 'v' }, on: true, cidr: '10.0.0.0/8', nums: [1, 2, 3] }
const env: Env = {
  lookup: (n) => (Object.hasOwn(VARS, n) ? VARS[n] : new Undefined(n)),
  raw: (n) => (Object.hasOwn(VARS, n) ? { value: VARS[n] } : undefined),
}
const r = (s: string): unknown => renderString(s, env)

const CASES: Array<[string, unknown]> = [
  ['plain text', 'plain text'],
  ['{{ a }}', 'x'],
  ['{{ n }}', 2],
  ['{{ l }}', ['p', 'q']],
  ['{{ d }}', { k: 'v' }],
  ['{{ on }}', true],
  ['pre-{{ a }}-post', 'pre-x-post'],
  ['{{ a }}{{ n }}', 'x2'],
  ['n={{ n }} on={{ on }}', 'n=2 on=True'],
  ['[{{ l | join(", ") }}]', '[p, q]'],
  ["{{ l | map('to_json') | join(',') }}", '"p","q"'],
  ['{{ "[1, 2]" }}', [1, 2]],
  ['[{{ n }}, 3]', [2, 3]],
  ['{{ on }}{{ "" }}', true],
  ["{{ {'a': n} }}", { a: 2 }],
  ['x {{ l }}', "x ['p', 'q']"],
  ['x {{ d }}', "x {'k': 'v'}"],
  ['{% if on %}yes{% else %}no{% endif %}', 'yes'],
  ['{% if n > 5 %}big{% elif n > 1 %}mid{% else %}small{% endif %}', 'mid'],
  ['{% if missing is defined %}{{ missing }}{% endif %}!', '!'],
  ['{% for x in l %}{{ x }};{% endfor %}', 'p;q;'],
  ['{% for x in l %}{{ loop.index }}{{ "," if not loop.last }}{% endfor %}', '1,2'],
  ['{% for k, v in d.items() %}{{ k }}={{ v }}{% endfor %}', 'k=v'],
  ['{% for x in [] %}a{% else %}empty{% endfor %}', 'empty'],
  ['{% for x in nums if x > 1 %}{{ x }}{% endfor %}', '23'],
  ['{% set y = n * 10 %}{{ y }}', '20'],
  ['{% set parts = [] %}{{ parts | length }}', '0'],
  ['{% set msg %}hi {{ a }}{% endset %}{{ msg | upper }}', 'HI X'],
  ['a {# comment #}b', 'a b'],
  ['a  {{- a -}}  b', 'axb'],
  ['line1\n{% if on %}\nyes\n{% endif %}\nend', 'line1\nyes\nend'],
  ['  {%- if on -%}  [x]  {%- endif -%}  ', 'x'.length ? '[x]' : ''],
  ['{%- if cidr is defined -%}\n[{{ cidr }}]\n{%- else -%}\n[]\n{%- endif -%}', '[10.0.0.0/8]'],
  ['{%- if nope is defined -%}\n[{{ nope }}]\n{%- else -%}\n[]\n{%- endif -%}', []],
  ['{% raw %}{{ not rendered }}{% endraw %}', '{{ not rendered }}'],
  ["{{ '}}' }}", '}}'],
  ["{{ {'x': {'y': 1}}.x.y }}", '1'],
  ['{{ "True" }}', true],
  ['{{ a ~ "[" }}', 'x['],
]

const ERRORS: Array<[string, RegExp]> = [
  ['{{ nope }}', /'nope' is undefined in "\{\{ nope \}\}"/],
  ['x {{ nope.y }} y', /'nope' is undefined/],
  ['{% if nope %}a{% endif %}', /'nope' is undefined in "\{% if nope %\}"/],
  ['{% for x in nope %}{% endfor %}', /'nope' is undefined/],
  ['{% for x in n %}{% endfor %}', /not iterable/],
  ['{{ a ', /missing '\}\}'/],
  ['{% if a %}x', /never closed with \{% endif %\}/],
  ['{% endif %}', /unexpected '\{% endif %\}'/],
  ['{% macro m() %}{% endmacro %}', /tag '\{% macro %\}' is not supported/],
  ['{{ }}', /empty \{\{ \}\}/],
  ['{{ 1 + }}', /cannot parse/],
  ['{# open', /missing '#\}'/],
  ['{{ a | nosuchfilter }}', /filter 'nosuchfilter' is not supported by kubeseed in "\{\{ a \| nosuchfilter \}\}"/],
  ['{% for a, b in l %}{% endfor %}', /cannot unpack/],
]

describe('string templates', () => {
  for (const [src, want] of CASES) {
    it(`${JSON.stringify(src)} => ${JSON.stringify(want)}`, () => expect(r(src)).to.deep.equal(want))
  }
  for (const [src, pattern] of ERRORS) {
    it(`${JSON.stringify(src)} fails with ${pattern}`, () => expect(() => r(src)).to.throw(ExprError, pattern))
  }

  it('returns strings without template syntax untouched (same object)', () => {
    const s = 'no templates here: { } [ ]'
    expect(r(s)).to.equal(s)
  })

  it('round-trips any JSON-like value through repr and literal conversion', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1 }), tie('v'), { maxKeys: 4 })),
    })).v
    fc.assert(
      fc.property(fc.oneof(fc.array(value, { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1 }), value, { maxKeys: 4 })), (v) => {
        expect(literalValue(pyRepr(v))).to.deep.equal(v)
      }),
      { numRuns: 200 },
    )
  })

  it('renders {{ x }} of any string to itself unless it reads as a literal', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const got = renderString('{{ v }}', { lookup: () => s })
        const lit = literalValue(s)
        expect(got).to.deep.equal(lit)
        if (typeof lit !== 'string') expect(s.trim()).to.match(/^[[{]|^True$|^False$/)
      }),
      { numRuns: 300 },
    )
  })
})

describe('free variables', () => {
  const CASES: Array<[string, string[]]> = [
    ['a', ['a']],
    ['a.b.c', ['a']],
    ["hostvars[inventory_hostname]['ip']", ['hostvars', 'inventory_hostname']],
    ["x | default(y) | map(attribute='z')", ['x', 'y']],
    ['a if b else c', ['a', 'b', 'c']],
    ["lookup('env', 'HOME')", []],
    ["lookup('vars', 'dyn')", ['dyn']],
    ['range(n)', ['n']],
    ['s.split(sep)', ['s', 'sep']],
    ["'lit' in xs and not flag", ['xs', 'flag']],
    ['x is version(min_v, ">=")', ['x', 'min_v']],
  ]
  for (const [src, names] of CASES) {
    it(`${src} reads ${names.join(', ') || 'nothing'}`, () => expect([...freeVars(src)].sort()).to.deep.equal([...names].sort()))
  }

  it('knows names bound inside templates', () => {
    expect([...templateFreeVars('{% for h in hosts %}{{ h.ip }}{{ loop.index }}{{ sep }}{% endfor %}{% set t = 1 %}{{ t }}')].sort()).to.deep.equal(['hosts', 'sep'])
    expect([...templateFreeVars('no templates')]).to.deep.equal([])
    expect([...valueFreeVars({ a: ['{{ x }}', { b: '{{ y | default(z) }}' }], c: 3 })].sort()).to.deep.equal(['x', 'y', 'z'])
  })
})
