// package with apt against a local repository of real .debs (apt-get download + dpkg-scanpackages),
// inside a throwaway chroot host.

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { failureSummary } from '../../../src/engine/step/failure-lines.js'
import { copy } from '../../../src/tasks/copy.js'
import { packageTask } from '../../../src/tasks/package.js'
import { shell } from '../../../src/tasks/shell.js'
import { chrootHost, type ChrootHost } from './chroot-host.js'
import { runTask } from './run-task.js'

const DEBS = ['hello', 'tree']

/** The .debs and the Packages index, made once and kept between runs. */
function localRepo(): string {
  const repo = join(tmpdir(), 'kubeseed-test-apt-repo')
  if (existsSync(join(repo, 'Packages'))) return repo
  mkdirSync(repo, { recursive: true })
  execFileSync('apt-get', ['download', ...DEBS], { cwd: repo, stdio: 'pipe' })
  const index = execFileSync('dpkg-scanpackages', ['.', '/dev/null'], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] })
  writeFileSync(join(repo, 'Packages'), index)
  return repo
}

describe('package with apt (real runs in a chroot, local repository)', function () {
  this.timeout(300_000)
  let host: ChrootHost
  const facts = { pkg_mgr: 'apt' }
  const run = (params: unknown, check = false) => runTask(packageTask, params, { check, wrap: host.wrap, ctx: { facts } })
  /** "name version" of each installed package among DEBS, asked inside the host. */
  const installed = async () => (await runTask(shell, `dpkg-query -W -f='\${db:Status-Abbrev} \${Package} \${Version}\\n' ${DEBS.join(' ')} 2>/dev/null | awk '$1 == "ii" { print $2, $3 }'`, { wrap: host.wrap })).stdout

  before(async () => {
    const repo = localRepo()
    host = await chrootHost()
    await runTask(shell, 'mkdir -p /srv/repo', { wrap: host.wrap })
    const files: Record<string, Buffer> = {}
    for (const f of readdirSync(repo)) files[f] = readFileSync(join(repo, f))
    for (const f of Object.keys(files)) {
      const r = await runTask(copy, { src: f, dest: `/srv/repo/${f}` }, { wrap: host.wrap, ctx: { files } })
      expect(r.rc, r.stderr).to.equal(0)
    }
    await runTask(copy, { content: 'deb [trusted=yes] file:/srv/repo ./\n', dest: '/etc/apt/sources.list.d/local.list' }, { wrap: host.wrap })
  })
  after(async () => { await host?.close() })

  it('check mode lists what would be installed and installs nothing', async () => {
    const r = await run({ name: DEBS }, true)
    expect(r.rc, r.stderr).to.equal(0)
    expect(r.changes).to.deep.equal(['install: hello tree'])
    expect(await installed()).to.equal('')
  })

  it('installs the missing packages once (refreshing the empty cache), then is ok', async () => {
    const first = await run({ name: DEBS, state: 'present' })
    expect(first.rc, first.stderr).to.equal(0)
    expect(first.changes).to.deep.equal(['install: hello tree'])
    expect(await installed()).to.match(/^hello \S+\ntree \S+\n$/)
    const second = await run({ name: 'hello,tree' })
    expect(second.changes).to.deep.equal([])
    expect((await run({ name: DEBS, state: 'latest' })).changes).to.deep.equal([])
  })

  it('a version pin that matches is ok; one that cannot be met fails naming it', async () => {
    const version = /^hello (\S+)$/m.exec(await installed())![1]
    expect((await run({ name: [`hello=${version}`] })).changes).to.deep.equal([])
    expect((await run({ name: [`hello=${version.split('-')[0]}*`] })).changes).to.deep.equal([])
    const bad = await run({ name: ['hello=9.9.9'] })
    expect(bad.rc).to.equal(1)
    expect(bad.stderr).to.include('apt-get install failed: hello=9.9.9 (from: file:/srv/repo)')
    // The message keeps apt's own E: line, which says what is wrong, ahead of the chatter of the retry.
    expect(failureSummary(bad.stderr, bad.stdout, bad.rc)).to.match(/E: Version '9\.9\.9' for 'hello' was not found.* \| apt-get install failed/)
  })

  it('removes, then is ok', async () => {
    const r = await run({ name: ['tree'], state: 'absent' })
    expect(r.rc, r.stderr).to.equal(0)
    expect(r.changes).to.deep.equal(['remove: tree'])
    expect(await installed()).to.match(/^hello \S+\n$/)
    expect((await run({ name: ['tree'], state: 'absent' })).changes).to.deep.equal([])
  })

  it('refuses names that are not package names', async () => {
    expect(() => packageTask.plan({ name: ['hello; reboot'], state: 'present', use: 'apt', update_cache: false, cache_valid_time: 0 }, {
      host: 'h', where: {}, facts: {}, check: false, diff: false, vars: () => undefined, hasVar: () => false, evaluate: () => undefined,
      render: () => undefined, renderTemplate: () => '', readLocalFile: () => Buffer.alloc(0), statLocal: (path) => ({ path, dir: false, mode: 0o644 }),
    })).to.throw(/is not a package name/)
  })
})
