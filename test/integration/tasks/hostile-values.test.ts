// Inventory values that reach a task through its template ("{{ v }}") cannot break out of the argument they fill,
// property-tested with generated hostile values on real runs (the script an SSH host gets, on the local
// connection): a command's argv element arrives as one byte-identical argument, a lineinfile line lands in the
// file byte for byte, a template's destination is the file of exactly that name, a free-form command never goes
// through a shell; and a marker file that every hostile value tries to create never appears.

import { expect } from 'chai'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { taskType } from '../../../src/tasks/index.js'
import { planContext } from '../../unit/tasks/plan-context.js'
import { hostileValue } from '../../harness/hostile-values.js'
import { runTask } from './run-task.js'

const RUNS = 40

/** The task's raw parameters with every "{{ v }}" rendered by the engine's template renderer, as a run does. */
function rendered<T>(raw: T, v: string): T {
  const ctx = planContext({ vars: { v } })
  const walk = (x: unknown): unknown => typeof x === 'string' ? ctx.render(x)
    : Array.isArray(x) ? x.map(walk)
      : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, walk(y)])) : x
  return walk(raw) as T
}

describe('hostile inventory values through tasks (real runs, generated values)', function () {
  this.timeout(10 * 60_000)
  let dir: string
  let marker: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-hostile-'))
    marker = join(dir, 'pwned')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  // Strings JavaScript can hand to a file or argv unchanged: no lone surrogates.
  const wellFormed = (s: string) => !/\p{Surrogate}/u.test(s)

  it(`command argv: the value is one argument, byte-identical (${RUNS} runs)`, async () => {
    await fc.assert(fc.asyncProperty(hostileValue('MARKER').filter(wellFormed), async (template) => {
      const v = template.replaceAll('MARKER', marker)
      const out = await runTask(taskType('command')!, rendered({ argv: ['printf', '[%s]', '{{ v }}'] }, v))
      expect(out.rc, out.stderr).to.equal(0)
      expect(out.stdout).to.equal(`[${v}]`)
      expect(existsSync(marker), 'a value ran a command').to.equal(false)
    }), { numRuns: RUNS })
  })

  it(`free-form command: the value is split into words, never given to a shell (${RUNS} runs)`, async () => {
    let ran = 0
    await fc.assert(fc.asyncProperty(hostileValue('MARKER').filter(wellFormed), async (template) => {
      const v = template.replaceAll('MARKER', marker)
      try {
        const out = await runTask(taskType('command')!, rendered('printf [%s] {{ v }}', v))
        expect(out.rc, out.stderr).to.equal(0)
        ran++
      } catch (e) {
        // Unbalanced quotes in the split are refused before anything runs.
        expect(String(e)).to.match(/quot/i)
      }
      expect(existsSync(marker), 'a value ran a command').to.equal(false)
    }), { numRuns: RUNS })
    expect(ran, 'commands that ran').to.be.greaterThan(RUNS / 4)
  })

  it(`lineinfile: the line lands in the file byte for byte (${RUNS} runs)`, async () => {
    const f = () => join(dir, 'app.conf')
    await fc.assert(fc.asyncProperty(hostileValue('MARKER').filter(wellFormed).filter((s) => !/[\n\r]/.test(s)), async (template) => {
      const v = template.replaceAll('MARKER', marker)
      rmSync(f(), { force: true })
      const out = await runTask(taskType('lineinfile')!, rendered({ path: f(), line: 'key={{ v }}', create: true, mode: '0600' }, v))
      expect(out.rc, out.stderr).to.equal(0)
      expect(readFileSync(f(), 'utf8')).to.equal(`key=${v}\n`)
      expect(statSync(f()).mode & 0o777).to.equal(0o600)
      expect(existsSync(marker), 'a value ran a command').to.equal(false)
    }), { numRuns: RUNS })
  })

  it(`template dest: the file written is the one named, nothing else in the directory (${RUNS} runs)`, async () => {
    const name = hostileValue('MARKER').filter(wellFormed)
      .map((s) => s.replace(/[/\n]/g, '_'))
      .filter((s) => s !== '' && s !== '.' && s !== '..' && Buffer.byteLength(s) < 200)
    await fc.assert(fc.asyncProperty(name, async (template) => {
      const v = template.replaceAll('MARKER', 'pwned')
      const sub = mkdtempSync(join(dir, 'd-'))
      const out = await runTask(taskType('template')!, rendered({ src: 't.hbs', dest: `${sub}/{{ v }}`, mode: '0640' }, v),
        { ctx: { templates: { 't.hbs': 'content\n' } } })
      expect(out.rc, out.stderr).to.equal(0)
      expect(readdirSync(sub)).to.deep.equal([v])
      expect(readFileSync(join(sub, v), 'utf8')).to.equal('content\n')
      expect(existsSync(join(process.cwd(), 'pwned')), 'a value ran a command').to.equal(false)
    }), { numRuns: RUNS })
  })
})
