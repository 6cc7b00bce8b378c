// The one shell-quoting helper, property-tested with hostile inventory values through real shells: whatever the
// value (quotes, $(), backticks, newlines, globs, leading dashes, assignments, unicode, invalid UTF-16), it comes
// back byte-identical from sh, bash and dash, and runs nothing (a marker file is never created).

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { quote, shellJoin } from '../../src/engine/quote.js'
import { hostileValue } from '../harness/hostile-values.js'

const RUNS = 200

describe('quote', () => {
  let dir: string
  let marker: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-quote-'))
    marker = join(dir, 'pwned')
    // Files a glob would expand to, in the shell's working directory.
    for (const f of ['a', 'b', '-n', 'A=1']) writeFileSync(join(dir, f), '')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('leaves plain words alone and quotes the rest', () => {
    expect(quote('abc-1.2/x')).to.equal('abc-1.2/x')
    expect(quote('--flag=value')).to.equal('--flag=value')
    expect(quote('net.ipv4.ip_forward=1')).to.equal('net.ipv4.ip_forward=1')
    expect(quote('')).to.equal("''")
    expect(quote("it's")).to.equal(`'it'\\''s'`)
  })

  it('quotes a word a shell would take as a variable assignment in command position', () => {
    expect(quote('X=1')).to.equal("'X=1'")
    const out = execFileSync('/bin/sh', ['-c', `${shellJoin(['X=1', 'touch', marker])} 2>/dev/null; true`], { cwd: dir })
    expect(out.length).to.equal(0)
    expect(existsSync(marker)).to.equal(false)
  })

  for (const shell of ['/bin/sh', '/bin/bash', '/bin/dash']) {
    it(`round-trips hostile values byte for byte through ${shell} and runs none of them (${RUNS} runs)`, function () {
      // 200 shell processes: a few seconds on a quiet machine, over a minute on 2 cores busy with sandboxes.
      this.timeout(5 * 60_000)
      fc.assert(
        fc.property(fc.array(hostileValue(marker), { minLength: 1, maxLength: 4 }), (args) => {
          const out = execFileSync(shell, ['-c', `printf '%s\\0' ${shellJoin(args)}`], { cwd: dir })
          expect(out).to.deep.equal(Buffer.concat(args.map((a) => Buffer.from(`${a}\0`, 'utf8'))))
          expect(existsSync(marker), 'a value ran a command').to.equal(false)
        }),
        { numRuns: RUNS },
      )
    })
  }

  it('refuses NUL bytes, which no shell argument can carry', () => {
    expect(() => quote('a\0b')).to.throw(/NUL/)
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => { expect(() => quote(`${a}\0${b}`)).to.throw(/NUL/) }), { numRuns: 50 })
  })
})
