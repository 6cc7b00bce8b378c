// No function of src/ grows past a screen: a long function is several jobs that want names of their own.

import { expect } from 'chai'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { functionSizes, type FunctionSize } from './function-sizes.js'

/** The house limit: a function longer than this does several jobs; split it by what each piece does. */
const MAX_LINES = 60

const describeSize = (f: FunctionSize) => `${f.at} ${f.name} (${f.lines} lines)`

describe('architecture: function size', function () {
  // the compiler's API starts the TypeScript compiler once per call: seconds on a busy machine
  this.timeout(120_000)
  let sizes: FunctionSize[]
  before(() => {
    sizes = functionSizes(PACKAGE_ROOT, 'tsconfig.json', 'src/')
  })

  it('reads every function of src/ (the rule below has something to judge)', () => {
    expect(sizes.length).to.be.greaterThan(1500)
    expect(sizes.filter((f) => f.at.startsWith('src/engine/quote.ts:'))).to.not.deep.equal([])
  })

  it(`no function of src/ is longer than ${MAX_LINES} lines`, () => {
    const long = sizes.filter((f) => f.lines > MAX_LINES).sort((a, b) => b.lines - a.lines)
    expect(long.map(describeSize), 'functions to split').to.deep.equal([])
  })

  describe('the measure itself', () => {
    let dir: string
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'ks-fnsize-'))
      mkdirSync(join(dir, 'src'))
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src/**/*.ts'] }))
      const body = Array.from({ length: 70 }, (_, i) => `  n += ${i}`).join('\n')
      writeFileSync(join(dir, 'src', 'a.ts'), [
        '// leading comments are not counted',
        'export function long(): number {',
        '  let n = 0',
        body,
        '  return n',
        '}',
        'export const short = (x: number) => x + 1',
        'export class C {',
        '  constructor(readonly v: number) {}',
        '  get twice(): number {',
        '    return this.v * 2',
        '  }',
        '  run(): void { [1].map(function (y) { return y }) }',
        '}',
        '',
      ].join('\n'))
    })
    after(() => rmSync(dir, { recursive: true, force: true }))

    it('counts each kind of function from its first line to its last, nested ones on their own', () => {
      expect(functionSizes(dir, 'tsconfig.json', 'src/').map(describeSize)).to.deep.equal([
        'src/a.ts:2 long (74 lines)',
        'src/a.ts:76 short (1 lines)',
        'src/a.ts:78 constructor (1 lines)',
        'src/a.ts:79 twice (3 lines)',
        'src/a.ts:82 run (1 lines)',
        'src/a.ts:82 <anonymous> (1 lines)',
      ])
    })
  })
})
