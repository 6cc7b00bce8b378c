// ks_sha256 on its own, under /bin/sh with real files: it gives the file's sha256, hashes an unchanged file only
// once, and any change to the file (even one that keeps size and mtime) makes it hash again.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PRELUDE } from '../../../src/engine/step/prelude.js'
import { quote } from '../../../src/engine/quote.js'

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex')

describe('ks_sha256 (the prelude’s cached checksum)', () => {
  let dir: string
  let sums: string
  let log: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-sha256-'))
    sums = join(dir, 'sums')
    log = join(dir, 'hashed.log')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /**
   * Runs ks_sha256 on `file`; every real hash is logged. `later` seconds are added to the clock the hash starts
   * at, so a file written by the test counts as settled without the test sleeping.
   */
  function sum(file: string, o: { check?: boolean; later?: number } = {}): string {
    const body = [
      `umask 022\nKS_NONCE=KSX; KS_CHECK=${o.check ? 1 : 0}; KS_DIFF=0; KS_SUMS=${quote(sums)}`,
      PRELUDE,
      `sha256sum() { echo x >> ${quote(log)}; command sha256sum "$@"; }`,
      `date() { echo $(( $(command date +%s) + ${o.later ?? 0} )); }`,
      `ks_sha256 ${quote(file)}`,
    ].join('\n')
    const r = spawnSync('/bin/sh', ['-c', body], { encoding: 'utf8' })
    expect(r.status, r.stderr).to.equal(0)
    return r.stdout.trim()
  }
  const hashes = () => {
    try { return readFileSync(log, 'utf8').split('\n').filter(Boolean).length } catch { return 0 }
  }

  it('gives the sha256 and hashes an unchanged file only once', () => {
    const f = join(dir, 'release.tar.gz')
    writeFileSync(f, 'first content\n')
    expect(sum(f, { later: 5 })).to.equal(sha256('first content\n'))
    expect(hashes()).to.equal(1)
    expect(sum(f, { later: 5 })).to.equal(sha256('first content\n'))
    expect(sum(f)).to.equal(sha256('first content\n'))
    expect(hashes(), 'the second and third calls read the cache').to.equal(1)
  })

  it('hashes again a file changed in place with its size and mtime kept (ctime moved)', () => {
    const f = join(dir, 'kubeadm')
    writeFileSync(f, 'AAAA\n')
    const before = statSync(f, { bigint: true })
    expect(sum(f, { later: 5 })).to.equal(sha256('AAAA\n'))
    // Same size, same inode, mtime set back to the nanosecond: only ctime tells.
    writeFileSync(f, 'BBBB\n')
    const ns = before.mtimeNs
    const r = spawnSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, f])
    expect(r.status).to.equal(0)
    const after = statSync(f, { bigint: true })
    expect([after.ino, after.size, after.mtimeNs]).to.deep.equal([before.ino, before.size, before.mtimeNs])
    expect(after.ctimeNs).to.not.equal(before.ctimeNs)
    expect(sum(f, { later: 5 })).to.equal(sha256('BBBB\n'))
    expect(hashes()).to.equal(2)
  })

  it('hashes again a file replaced by another one (a new inode)', () => {
    const f = join(dir, 'etcd.tar.gz')
    writeFileSync(f, 'one\n')
    expect(sum(f, { later: 5 })).to.equal(sha256('one\n'))
    writeFileSync(join(dir, 'new'), 'two\n')
    expect(spawnSync('mv', ['-f', join(dir, 'new'), f]).status).to.equal(0)
    expect(sum(f, { later: 5 })).to.equal(sha256('two\n'))
    expect(hashes()).to.equal(2)
  })

  it('does not cache a file changed within a second of the hash starting', () => {
    const f = join(dir, 'fresh')
    writeFileSync(f, 'just written\n')
    expect(sum(f)).to.equal(sha256('just written\n'))
    expect(sum(f)).to.equal(sha256('just written\n'))
    expect(hashes()).to.equal(2)
  })

  it('in check mode reads the cache but never writes it', () => {
    const f = join(dir, 'runc')
    writeFileSync(f, 'runc\n')
    expect(sum(f, { check: true, later: 5 })).to.equal(sha256('runc\n'))
    expect(() => readdirSync(sums)).to.throw()
    expect(sum(f, { later: 5 })).to.equal(sha256('runc\n'))
    expect(sum(f, { check: true, later: 5 })).to.equal(sha256('runc\n'))
    expect(hashes()).to.equal(2)
  })

  it('hashes without a cache when none is set', () => {
    const f = join(dir, 'crictl')
    writeFileSync(f, 'crictl\n')
    sums = ''
    expect(sum(f, { later: 5 })).to.equal(sha256('crictl\n'))
    expect(sum(f, { later: 5 })).to.equal(sha256('crictl\n'))
    expect(hashes()).to.equal(2)
    expect(readdirSync(dir).sort()).to.deep.equal(['crictl', 'hashed.log'])
  })
})
