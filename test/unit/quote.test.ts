import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import fc from 'fast-check'
import { quote, shellJoin } from '../../src/engine/quote.js'

describe('quote', () => {
  it('leaves plain words alone and quotes the rest', () => {
    expect(quote('abc-1.2/x')).to.equal('abc-1.2/x')
    expect(quote('')).to.equal("''")
    expect(quote("it's")).to.equal(`'it'\\''s'`)
  })

  it('round-trips hostile strings through a real shell', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('$(touch /tmp/pwned)', '`id`', "a'b", 'a\nb', '"; rm -rf / #', '$HOME', '\\', '*', '~', 'naïve ünï ☃', '-n'),
    ).filter((s) => !s.includes('\0'))
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 4 }), (args) => {
        const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellJoin(args)}`])
        const got = args.length === 0 ? [] : out.toString('utf8').split('\0').slice(0, -1)
        expect(got).to.deep.equal(args.length === 0 ? [] : args)
      }),
      { numRuns: 150 },
    )
  })

  it('refuses NUL bytes', () => {
    expect(() => quote('a\0b')).to.throw(/NUL/)
  })
})
