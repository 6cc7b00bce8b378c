import { expect } from 'chai'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { lineinfile } from '../../../src/tasks/lineinfile.js'
import { runTask } from './run-task.js'

describe('lineinfile (real runs)', () => {
  let dir: string
  let f: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-lif-'))
    f = join(dir, 'sshd_config')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const cases: Array<{ name: string; before: string; params: Record<string, unknown>; after: string }> = [
    { name: 'replaces the last regexp match', before: 'a=1\n#x\na=2\n', params: { regexp: '^a=', line: 'a=3' }, after: 'a=1\n#x\na=3\n' },
    { name: 'appends when nothing matches', before: 'x\n', params: { regexp: '^a=', line: 'a=3' }, after: 'x\na=3\n' },
    { name: 'adds a newline before appending to a file without one', before: 'x', params: { line: 'y' }, after: 'x\ny\n' },
    { name: 'inserts after the last insertafter match', before: '[a]\nk=1\n[b]\n', params: { line: 'n=1', insertafter: '^\\[a\\]' }, after: '[a]\nn=1\nk=1\n[b]\n' },
    { name: 'inserts before a match', before: 'a\nb\n', params: { line: 'z', insertbefore: '^b' }, after: 'a\nz\nb\n' },
    { name: 'inserts at BOF', before: 'a\n', params: { line: 'z', insertbefore: 'BOF' }, after: 'z\na\n' },
    { name: 'keeps an exact line even when the regexp misses', before: 'a=3\n', params: { regexp: '^b=', line: 'a=3' }, after: 'a=3\n' },
    { name: 'expands backrefs', before: 'GRUB="quiet"\n', params: { regexp: '^(GRUB)="(quiet)"$', line: '\\1="\\g<2> cgroup=1"', backrefs: true }, after: 'GRUB="quiet cgroup=1"\n' },
    { name: 'backrefs with no match changes nothing', before: 'x\n', params: { regexp: '^GRUB="(.*)"$', line: 'GRUB="\\1"', backrefs: true }, after: 'x\n' },
    { name: 'removes every matching line', before: 'a\n/swap x\nb\n/swap y\n', params: { regexp: '\\sx$|swap y', state: 'absent' }, after: 'a\nb\n' },
    { name: 'removes by search_string, literally', before: 'a.b\naxb\n', params: { search_string: 'a.b', state: 'absent' }, after: 'axb\n' },
    { name: 'replaces by search_string', before: 'x[1]=a\n', params: { search_string: '[1]', line: 'x[1]=b' }, after: 'x[1]=b\n' },
    // Regexes POSIX ERE cannot express run through grep -P (and perl for backrefs) on the host.
    { name: 'matches a back-reference inside the regexp', before: 'a\nREF x REF\nb\n', params: { regexp: '^(REF) .* \\1$', line: 'c', backrefs: true }, after: 'a\nc\nb\n' },
    { name: 'expands a PCRE-only regexp with backrefs', before: 'k = 1\n', params: { regexp: '^(?P<key>\\w+)\\s*=\\s*(\\d+?)$', line: '\\g<1>=\\2\\t#', backrefs: true }, after: 'k=1\t#\n' },
    { name: 'inserts after a lookahead match', before: 'a1\na2\nb\n', params: { line: 'z', insertafter: '^a(?=2)' }, after: 'a1\na2\nz\nb\n' },
    { name: 'removes lines a \\b regexp matches', before: 'foo\nfoobar\n', params: { regexp: '\\bfoo\\b', state: 'absent' }, after: 'foobar\n' },
  ]

  for (const c of cases) {
    it(`${c.name}; a second run changes nothing`, async () => {
      writeFileSync(f, c.before)
      const params = { path: f, ...c.params }
      const first = await runTask(lineinfile, params)
      expect(first.rc, first.stderr).to.equal(0)
      expect(readFileSync(f, 'utf8')).to.equal(c.after)
      expect(first.changes.length > 0).to.equal(c.before !== c.after)
      const second = await runTask(lineinfile, params)
      expect(second.changes).to.deep.equal([])
      expect(readFileSync(f, 'utf8')).to.equal(c.after)
    })
  }

  it('check mode reports the change and writes nothing; diff mode shows it', async () => {
    writeFileSync(f, 'PermitRootLogin yes\n')
    const params = { path: f, regexp: '^PermitRootLogin', line: 'PermitRootLogin no' }
    const chk = await runTask(lineinfile, params, { check: true, diff: true })
    expect(chk.changes).to.deep.equal([`content of ${f}`])
    expect(chk.diff).to.include('-PermitRootLogin yes').and.include('+PermitRootLogin no')
    expect(readFileSync(f, 'utf8')).to.equal('PermitRootLogin yes\n')
  })

  it('creates a file without a mode as 0644 (the umask), as Ansible does', async () => {
    const first = await runTask(lineinfile, { path: f, line: 'x', create: true })
    expect(first.rc, first.stderr).to.equal(0)
    expect(statSync(f).mode & 0o7777).to.equal(0o644)
  })

  it('fails when the file is missing unless create is set, then creates it with its mode', async () => {
    const g = join(dir, 'sub', 'new.conf')
    const r = await runTask(lineinfile, { path: g, line: 'a' })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include('does not exist (set create: yes')
    const c = await runTask(lineinfile, { path: g, line: 'a', create: true, mode: '0600' })
    expect(c.rc, c.stderr).to.equal(0)
    expect(readFileSync(g, 'utf8')).to.equal('a\n')
    expect((statSync(g).mode & 0o777).toString(8)).to.equal('600')
    expect((await runTask(lineinfile, { path: g, line: 'a', create: true, mode: '0600' })).changes).to.deep.equal([])
  })

  it('state=absent on a missing file is ok', async () => {
    const r = await runTask(lineinfile, { path: join(dir, 'none'), line: 'a', state: 'absent' })
    expect(r.rc).to.equal(0)
    expect(r.changes).to.deep.equal([])
    expect(existsSync(join(dir, 'none'))).to.equal(false)
  })

  it('takes hostile lines literally', async () => {
    writeFileSync(f, '')
    const line = "$(touch pwned) `touch pwned2` 'q' \\1 & %s"
    const r = await runTask(lineinfile, { path: f, line })
    expect(r.rc, r.stderr).to.equal(0)
    expect(readFileSync(f, 'utf8')).to.equal(`${line}\n`)
    expect(existsSync('/pwned') || existsSync(join(dir, 'pwned'))).to.equal(false)
  })
})
