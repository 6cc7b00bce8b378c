import { expect } from 'chai'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseExtraVars } from '../../../src/engine/run/extra-vars.js'

describe('-e extra vars', () => {
  it('takes k=v words as strings, JSON and @file as typed data, later ones winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-ev-'))
    writeFileSync(join(dir, 'v.yaml'), 'from_file: yes\nport: 8080\n')
    const v = parseExtraVars(['a=1 b="two words"', '{"n": 3, "list": [1, 2]}', `@${join(dir, 'v.yaml')}`, 'a=override'])
    expect(v).to.deep.equal({ a: 'override', b: 'two words', n: 3, list: [1, 2], from_file: true, port: 8080 })
  })

  it('rejects words that are not key=value and missing files, naming them', () => {
    expect(() => parseExtraVars(['justaword'])).to.throw(/'justaword' is not key=value/)
    expect(() => parseExtraVars(['@/nonexistent/x.yaml'])).to.throw(/file not found/)
    expect(() => parseExtraVars(['{"a": ['])).to.throw(/not valid JSON/)
  })
})
