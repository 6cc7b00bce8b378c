// ks_put on its own, under /bin/sh: the temporary file it writes through has the final mode and owner
// before any content reaches it, and no link planted in the destination directory is followed.

import { expect } from 'chai'
import { spawn, spawnSync } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { PRELUDE } from '../../../src/engine/step/prelude.js'
import { quote } from '../../../src/engine/quote.js'

function shScript(body: string): string {
  return `umask 022\nKS_NONCE=KSX; KS_CHECK=0; KS_DIFF=0\n${PRELUDE}\n${body}\n`
}

function sh(body: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('/bin/sh', ['-c', shScript(body)], { encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

const mode = (p: string) => (statSync(p).mode & 0o777).toString(8)

describe('ks_put (the prelude’s atomic write)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-put-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('gives the temporary file its final mode and owner before any content is written', async () => {
    // The source is a FIFO: ks_put blocks reading it, so the temporary file can be inspected mid-write.
    const fifo = join(dir, 'src.fifo')
    execFileSync('mkfifo', [fifo])
    const dest = join(dir, 'secret.key')
    const child = spawn('/bin/sh', ['-c', shScript(`ks_put ${quote(fifo)} ${quote(dest)} 0600 nobody nogroup`)])
    const done = new Promise<number | null>((res) => child.on('close', res))
    try {
      let temp: string | undefined
      for (let i = 0; i < 200 && !temp; i++) {
        temp = readdirSync(dir).find((n) => n.startsWith('.secret.key.kubeseed-'))
        if (!temp) await new Promise((r) => setTimeout(r, 10))
      }
      expect(temp, 'a temporary file appears in the destination directory').to.be.a('string')
      // mktemp made the file and the chown follows; no content can come before the FIFO is written below, so
      // waiting for the owner (on a loaded machine the chown may lag the file's appearance) proves the order.
      const owner = () => execFileSync('stat', ['-c', '%U:%G', join(dir, temp!)], { encoding: 'utf8' }).trim()
      for (let i = 0; i < 200 && owner() !== 'nobody:nogroup'; i++) await new Promise((r) => setTimeout(r, 10))
      const st = lstatSync(join(dir, temp!))
      expect(st.isFile()).to.equal(true)
      expect(st.size).to.equal(0)
      expect((st.mode & 0o777).toString(8)).to.equal('600')
      expect(owner()).to.equal('nobody:nogroup')
      writeFileSync(fifo, 'PRIVATE KEY\n')
      expect(await done).to.equal(0)
      expect(readFileSync(dest, 'utf8')).to.equal('PRIVATE KEY\n')
      expect(mode(dest)).to.equal('600')
      expect(readdirSync(dir).filter((n) => n.includes('kubeseed'))).to.deep.equal([])
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('never gives the temporary file a looser mode than the final one, even for a moment', () => {
    // Every chmod ks_put makes is logged: a secret's temporary file opened while briefly 0644 could be read later
    // through that descriptor, so the only mode it may pass through is the final one.
    const src = join(dir, 'src')
    writeFileSync(src, 'PRIVATE KEY\n')
    for (const [existing, wanted, expected] of [[undefined, '0600', '0600'], ['0644', '0600', '0600'], [undefined, 'u=rw,go=', '0600'], ['0600', '', '600']] as const) {
      const dest = join(dir, `k-${wanted || 'keep'}-${existing ?? 'new'}.key`)
      if (existing) writeFileSync(dest, 'old\n', { mode: Number.parseInt(existing, 8) })
      const log = join(dir, 'chmod.log')
      rmSync(log, { force: true })
      const r = sh(`chmod() { printf '%s\\n' "$1" >>${quote(log)}; command chmod "$@"; }; ks_put ${quote(src)} ${quote(dest)} ${quote(wanted)} '' ''`)
      expect(r.status, r.stderr).to.equal(0)
      expect(readFileSync(log, 'utf8').trim().split('\n').map((m) => Number.parseInt(m, 8)), `${existing} -> ${wanted}`).to.deep.equal([Number.parseInt(expected, 8)])
      expect(mode(dest)).to.equal('600')
    }
  })

  it('does not follow a link planted where the old predictable temporary name was', () => {
    const victim = join(dir, 'victim')
    writeFileSync(victim, 'untouched\n')
    const src = join(dir, 'src')
    writeFileSync(src, 'new\n')
    const dest = join(dir, 'f.conf')
    // $$ is the pid the old ks_put put in its temporary name (.f.conf.kubeseed-$$).
    const r = sh(`ln -s ${quote(victim)} ${quote(`${dir}/.f.conf.kubeseed-`)}$$; ks_put ${quote(src)} ${quote(dest)} 0644 '' ''`)
    expect(r.status, r.stderr).to.equal(0)
    expect(readFileSync(victim, 'utf8')).to.equal('untouched\n')
    expect(readFileSync(dest, 'utf8')).to.equal('new\n')
  })

  it('replaces a link at the destination instead of writing through it', () => {
    const victim = join(dir, 'victim')
    writeFileSync(victim, 'untouched\n')
    const src = join(dir, 'src')
    writeFileSync(src, 'new\n')
    const dest = join(dir, 'f.conf')
    symlinkSync(victim, dest)
    const r = sh(`ks_put ${quote(src)} ${quote(dest)} 0600 '' ''`)
    expect(r.status, r.stderr).to.equal(0)
    expect(readFileSync(victim, 'utf8')).to.equal('untouched\n')
    expect(lstatSync(dest).isFile()).to.equal(true)
    expect(mode(dest)).to.equal('600')
  })

  it('keeps an existing file’s mode when none is asked, and makes new files 0644 under umask 022', () => {
    const src = join(dir, 'src')
    writeFileSync(src, 'v2\n')
    const kept = join(dir, 'kept')
    writeFileSync(kept, 'v1\n', { mode: 0o640 })
    const fresh = join(dir, 'fresh')
    const r = sh(`ks_put ${quote(src)} ${quote(kept)} '' '' ''; ks_put ${quote(src)} ${quote(fresh)} '' '' ''`)
    expect(r.status, r.stderr).to.equal(0)
    expect(mode(kept)).to.equal('640')
    expect(readFileSync(kept, 'utf8')).to.equal('v2\n')
    expect(mode(fresh)).to.equal('644')
  })

  it('leaves the old file and no temporary file when the write fails', () => {
    const dest = join(dir, 'f.conf')
    writeFileSync(dest, 'old\n')
    const r = sh(`ks_put ${quote(join(dir, 'missing'))} ${quote(dest)} 0600 '' ''`)
    expect(r.status).to.equal(1)
    expect(r.stderr).to.include(`cannot write ${dest}`)
    expect(readFileSync(dest, 'utf8')).to.equal('old\n')
    expect(readdirSync(dir)).to.deep.equal(['f.conf'])
  })

  it('leaves nothing behind when the owner does not exist', () => {
    const src = join(dir, 'src')
    writeFileSync(src, 'x\n')
    const r = sh(`ks_put ${quote(src)} ${quote(join(dir, 'f'))} 0600 no-such-user-ks ''`)
    expect(r.status).to.equal(1)
    expect(r.stderr).to.include('cannot set owner or mode')
    expect(readdirSync(dir)).to.deep.equal(['src'])
  })

  it('removes the temporary files a killed run left beside the file when it writes it, but not a fresh one', () => {
    const src = join(dir, 'src')
    writeFileSync(src, 'new\n')
    const dest = join(dir, 'f.conf')
    writeFileSync(dest, 'old\n')
    // SIGKILL or a crash ends a write before any trap can run: what it leaves is older than a minute on the next run.
    writeFileSync(join(dir, '.f.conf.kubeseed-Abc12345'), 'half')
    execFileSync('touch', ['-d', '2 hours ago', join(dir, '.f.conf.kubeseed-Abc12345')])
    writeFileSync(join(dir, '.f.conf.kubeseed-Fresh678'), 'being written')
    writeFileSync(join(dir, '.other.kubeseed-Abc12345'), 'another file\'s')
    execFileSync('touch', ['-d', '2 hours ago', join(dir, '.other.kubeseed-Abc12345')])
    const r = sh(`ks_put ${quote(src)} ${quote(dest)} 0644 '' ''`)
    expect(r.status, r.stderr).to.equal(0)
    expect(readFileSync(dest, 'utf8')).to.equal('new\n')
    expect(readdirSync(dir).sort()).to.deep.equal(['.f.conf.kubeseed-Fresh678', '.other.kubeseed-Abc12345', 'f.conf', 'src'])
  })
})
