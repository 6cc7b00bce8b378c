import { expect } from 'chai'
import { literalValue, renderString, Undefined, type Env } from '../../../src/engine/expr/index.js'

const env = (vars: Record<string, unknown>): Env => ({
  lookup: (n) => (Object.hasOwn(vars, n) ? vars[n] : new Undefined(n)),
  raw: (n) => (Object.hasOwn(vars, n) ? { value: vars[n] } : undefined),
})
const ownProto = (v: unknown) => Object.getOwnPropertyDescriptor(v as object, '__proto__')?.value

describe('a "__proto__" key is an ordinary dict key', () => {
  it('in a Python literal', () => {
    const v = literalValue("{'__proto__': 1, 'a': 2}") as Record<string, unknown>
    expect(Object.keys(v)).to.deep.equal(['__proto__', 'a'])
    expect(ownProto(v)).to.equal(1)
    expect(Object.getPrototypeOf(v)).to.equal(Object.prototype)
  })

  it('in a Jinja dict literal', () => {
    const v = renderString("{{ {'__proto__': 'x'} }}", env({})) as Record<string, unknown>
    expect(Object.keys(v)).to.deep.equal(['__proto__'])
    expect(ownProto(v)).to.equal('x')
  })

  it('in combine and items2dict', () => {
    const b = JSON.parse('{"__proto__": {"k": 1}}') as Record<string, unknown>
    const merged = renderString('{{ a | combine(b, recursive=true) }}', env({ a: { z: 0 }, b })) as Record<string, unknown>
    expect(Object.keys(merged)).to.deep.equal(['z', '__proto__'])
    expect(ownProto(merged)).to.deep.equal({ k: 1 })
    const d = renderString('{{ [{"key": "__proto__", "value": 3}] | items2dict }}', env({})) as Record<string, unknown>
    expect(ownProto(d)).to.equal(3)
  })
})
