import { expect } from 'chai'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { copy } from '../../../src/tasks/copy.js'
import { template } from '../../../src/tasks/template.js'
import { runTask } from './run-task.js'

describe('copy and template (real runs)', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-copy-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('copy: changed, then ok; check mode changes nothing; diff shows the change', async () => {
    const dest = join(dir, 'a.conf')
    const chk = await runTask(copy, { content: 'a=1\n', dest, mode: '0640' }, { check: true })
    expect(chk.changes).to.deep.equal([`create ${dest}`])
    expect(existsSync(dest)).to.equal(false)
    const first = await runTask(copy, { content: 'a=1\n', dest, mode: '0640' })
    expect(first.changes).to.deep.equal([`create ${dest}`])
    expect(readFileSync(dest, 'utf8')).to.equal('a=1\n')
    expect((statSync(dest).mode & 0o777).toString(8)).to.equal('640')
    expect((await runTask(copy, { content: 'a=1\n', dest, mode: '0640' })).changes).to.deep.equal([])
    const d = await runTask(copy, { content: 'a=2\n', dest, mode: '0640' }, { diff: true })
    expect(d.diff).to.include('-a=1').and.include('+a=2')
  })

  it('copy: a controller file, a host file (remote_src), force: no', async () => {
    const dest = join(dir, 'b')
    await runTask(copy, { src: 'files/b', dest }, { ctx: { files: { 'files/b': Buffer.from([0, 1, 2, 255]) } } })
    expect([...readFileSync(dest)]).to.deep.equal([0, 1, 2, 255])
    const dest2 = join(dir, 'c')
    const r = await runTask(copy, { src: dest, dest: dest2, remote_src: true })
    expect(r.changes).to.deep.equal([`create ${dest2}`])
    expect([...readFileSync(dest2)]).to.deep.equal([0, 1, 2, 255])
    writeFileSync(dest2, 'mine')
    expect((await runTask(copy, { content: 'theirs', dest: dest2, force: false })).changes).to.deep.equal([])
    expect(readFileSync(dest2, 'utf8')).to.equal('mine')
  })

  it('copy: a failing validate installs nothing', async () => {
    const dest = join(dir, 'v')
    const r = await runTask(copy, { content: 'bad', dest, validate: 'grep -q good %s' })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include('validation failed')
    expect(existsSync(dest)).to.equal(false)
  })

  it('copy: keeps mode and owner of an existing file when none is asked', async () => {
    const dest = join(dir, 'keep')
    writeFileSync(dest, 'old')
    chmodSync(dest, 0o600)
    await runTask(copy, { content: 'new', dest })
    expect((statSync(dest).mode & 0o777).toString(8)).to.equal('600')
  })

  it('template: renders, installs once, and hides content from diff when planned without diff', async () => {
    const dest = join(dir, 'kubelet.env')
    const ctx = { templates: { 'kubelet/env.hbs': 'TOKEN=s3cret\n' } }
    const first = await runTask(template, { src: 'kubelet/env.hbs', dest, mode: '0600' }, { ctx, diff: true })
    expect(first.changes).to.deep.equal([`create ${dest}`])
    expect(first.diff).to.include('+TOKEN=s3cret')
    expect(readFileSync(dest, 'utf8')).to.equal('TOKEN=s3cret\n')
    expect((await runTask(template, { src: 'kubelet/env.hbs', dest, mode: '0600' }, { ctx })).changes).to.deep.equal([])
    const ctx2 = { templates: { 'kubelet/env.hbs': 'TOKEN=n3w\n' }, diff: false }
    const hidden = await runTask(template, { src: 'kubelet/env.hbs', dest, mode: '0600' }, { ctx: ctx2, diff: true })
    expect(hidden.changes).to.deep.equal([`content of ${dest}`])
    expect(hidden.diff).to.equal('')
  })
})
