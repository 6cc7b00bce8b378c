// The bad-input corpus (test/fixtures/bad-input/<case>/): each case is a small project (the files of _base/
// with the case's own on top) and a case.yaml with the command line and the exact line the user must see.
// Each must exit 4 (or the case's `exit`, for warnings) with that one line, print no stack trace, and open no
// connection: every host of the inventories points at a loopback port whose listener counts the connections.

import { expect } from 'chai'
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { kubeseed } from '../../harness/cli.js'

const CORPUS = join(import.meta.dirname, '../../fixtures/bad-input')

interface Case {
  about: string
  args: string[]
  /** The line the user sees, exactly; @DIR@ stands for the project directory, @ROOT@ for kubeseed's own, @PORTn@ for a listener's port. */
  message: string
  exit?: number
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile())
}

describe('bad input corpus: exit 4, one exact line, no stack trace, no connection', function () {
  this.timeout(60_000)
  const listeners: Server[] = []
  const ports: number[] = []
  let connections = 0

  before(async () => {
    for (let i = 0; i < 3; i++) {
      const server = createServer((sock) => { connections++; sock.destroy() })
      await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
      listeners.push(server)
      ports.push((server.address() as { port: number }).port)
    }
  })
  after(async () => {
    for (const s of listeners) await new Promise((res) => s.close(res))
  })

  const names = readdirSync(CORPUS).filter((n) => !n.startsWith('_')).sort()
  const cases = new Map(names.map((n) => [n, load(readFileSync(join(CORPUS, n, 'case.yaml'), 'utf8')) as Case]))
  const refused = [...cases.values()].filter((c) => (c.exit ?? 4) === 4).length
  it(`has at least 40 refused inputs (${refused} of ${names.length} cases)`, () => {
    expect(refused).to.be.at.least(40)
  })

  for (const name of names) {
    const c = cases.get(name)!
    it(`${name}: ${c.about}`, () => {
      const dir = realpathSync(mkdtempSync(join(tmpdir(), `ks-bad-${name}-`)))
      try {
        cpSync(join(CORPUS, '_base'), dir, { recursive: true })
        cpSync(join(CORPUS, name), dir, { recursive: true, filter: (src) => !src.endsWith('case.yaml') })
        for (const f of filesUnder(dir)) {
          const text = readFileSync(f, 'utf8')
          const filled = text.replace(/@PORT(\d)@/g, (_m, i: string) => String(ports[Number(i) - 1]))
          if (filled !== text) writeFileSync(f, filled)
        }
        const before = connections
        // HOME and the cache inside the project: no known_hosts, key or facts of this machine take part.
        const r = kubeseed(c.args[0] === 'play' ? [...c.args, '--no-progress'] : c.args, {
          cwd: dir, env: { HOME: dir, XDG_CACHE_HOME: join(dir, '.cache') },
        })
        const output = `${r.stdout}${r.stderr}`
        const expected = c.message.replaceAll('@DIR@', dir).replaceAll('@ROOT@', PACKAGE_ROOT).replace(/@PORT(\d)@/g, (_m, i: string) => String(ports[Number(i) - 1]))
        expect(output.split('\n'), output).to.include(expected)
        expect(r.code, output).to.equal(c.exit ?? 4)
        expect(output).not.to.match(/^\s+at .*:\d+:\d+\)?$/m)
        expect(output).not.to.include('internal error')
        expect(connections - before, 'connections opened').to.equal(0)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }
})
