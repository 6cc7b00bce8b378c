import { expect } from 'chai'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { command } from '../../../src/tasks/command.js'
import { shell } from '../../../src/tasks/shell.js'
import { runTask } from './run-task.js'

describe('command and shell (real runs)', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-cmd-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('command passes shell syntax to the program literally', async () => {
    const r = await runTask(command, `printf '%s|' "$HOME" ';' '$(touch ${dir}/pwned)' "a b"`)
    expect(r.rc).to.equal(0)
    expect(r.stdout).to.equal(`$HOME|;|$(touch ${dir}/pwned)|a b|`)
    expect(existsSync(join(dir, 'pwned'))).to.equal(false)
    expect(r.changes).to.deep.equal(['ran command'])
  })

  it('command reports the exit code and stderr of a failing program', async () => {
    const r = await runTask(command, { argv: ['sh', '-c', 'echo nope >&2; exit 7'] })
    expect(r.rc).to.equal(7)
    expect(r.stderr).to.equal('nope\n')
  })

  it('creates makes the second run ok without running; check mode says changed when it would run', async () => {
    const marker = join(dir, 'done')
    const params = { cmd: `touch ${marker}`, creates: marker }
    const chk = await runTask(command, params, { check: true })
    expect(chk.skipped).to.equal(undefined)
    expect(chk.changes).to.deep.equal(['command would run'])
    expect(existsSync(marker)).to.equal(false)
    expect((await runTask(command, params)).changes).to.deep.equal(['ran command'])
    const second = await runTask(command, params)
    expect(second.changes).to.deep.equal([])
    expect(second.stdout).to.include('skipped, since')
    const chk2 = await runTask(command, params, { check: true })
    expect([chk2.skipped, chk2.changes]).to.deep.equal([undefined, []])
    expect((await runTask(command, { cmd: 'true' }, { check: true })).skipped).to.match(/check mode/)
  })

  it('removes runs only while the file exists; globs match', async () => {
    writeFileSync(join(dir, 'x.tmp'), '')
    const params = { cmd: `rm ${dir}/x.tmp`, removes: `${dir}/*.tmp` }
    expect((await runTask(command, params)).changes).to.deep.equal(['ran command'])
    expect((await runTask(command, params)).changes).to.deep.equal([])
  })

  it('shell runs pipes and redirections in chdir, with stdin', async () => {
    const r = await runTask(shell, { cmd: 'tr a-z A-Z > out.txt; cat out.txt', chdir: dir, stdin: 'hello' })
    expect(r.rc, r.stderr).to.equal(0)
    expect(readFileSync(join(dir, 'out.txt'), 'utf8')).to.equal('HELLO\n')
    expect(r.stdout).to.equal('HELLO\n')
  })
})
