// known_hosts handling checked against files written by OpenSSH's own ssh-keygen (keys, hashing, lookups).

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectError } from '../../../src/engine/errors.js'
import { KnownHosts, checkHostKey, fingerprint, hostFieldMatches, parseKnownHosts } from '../../../src/engine/transport/known-hosts.js'

interface Key { type: string; b64: string; blob: Buffer; pubFile: string }

describe('known_hosts', () => {
  let dir: string
  const keys: Record<string, Key> = {}

  function makeKey(name: string, type: string, bits?: string): Key {
    const file = join(dir, name)
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-f', file])
    const [t, b64] = readFileSync(`${file}.pub`, 'utf8').split(' ')
    return { type: t!, b64: b64!, blob: Buffer.from(b64!, 'base64'), pubFile: `${file}.pub` }
  }

  function verifyError(kh: KnownHosts, address: string, port: number, key: Buffer): ConnectError {
    try {
      kh.verify('web1', address, port, key)
    } catch (e) {
      expect(e).to.be.instanceOf(ConnectError)
      return e as ConnectError
    }
    throw new Error('expected the key to be refused')
  }

  before(function () {
    this.timeout(30_000)
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-known-hosts-'))
    keys.ed = makeKey('ed', 'ed25519')
    keys.ed2 = makeKey('ed2', 'ed25519')
    keys.ecdsa = makeKey('ecdsa', 'ecdsa', '256')
    keys.rsa = makeKey('rsa', 'rsa', '2048')
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('computes the same SHA256 fingerprint as ssh-keygen -l, for several key types', () => {
    for (const k of Object.values(keys)) {
      const want = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', k.pubFile], { encoding: 'utf8' }).split(' ')[1]
      expect(fingerprint(k.blob)).to.equal(want)
    }
  })

  it('matches plain names, [host]:port, wildcards and negations', () => {
    expect(hostFieldMatches('web1,10.0.0.1', '10.0.0.1')).to.equal(true)
    expect(hostFieldMatches('web1,10.0.0.1', '10.0.0.2')).to.equal(false)
    expect(hostFieldMatches('[10.0.0.1]:2222', '[10.0.0.1]:2222')).to.equal(true)
    expect(hostFieldMatches('10.0.0.1', '[10.0.0.1]:2222')).to.equal(false)
    expect(hostFieldMatches('*.example.com,!bad.example.com', 'good.example.com')).to.equal(true)
    expect(hostFieldMatches('*.example.com,!bad.example.com', 'bad.example.com')).to.equal(false)
    expect(hostFieldMatches('10.0.0.?', '10.0.0.7')).to.equal(true)
    expect(hostFieldMatches('WEB1', 'web1')).to.equal(true)
  })

  it('finds hosts in a file hashed by ssh-keygen -H, including [host]:port entries', () => {
    const file = join(dir, 'hashed')
    writeFileSync(file, `10.0.0.1 ${keys.ed!.type} ${keys.ed!.b64}\n[10.0.0.2]:2222 ${keys.ecdsa!.type} ${keys.ecdsa!.b64}\n`)
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' })
    const text = readFileSync(file, 'utf8')
    expect(text).not.to.include('10.0.0.1')
    expect(text.startsWith('|1|')).to.equal(true)
    const entries = parseKnownHosts(text, file)
    expect(checkHostKey(entries, '10.0.0.1', 22, keys.ed!.blob).status).to.equal('known')
    expect(checkHostKey(entries, '10.0.0.2', 2222, keys.ecdsa!.blob).status).to.equal('known')
    expect(checkHostKey(entries, '10.0.0.2', 22, keys.ecdsa!.blob).status).to.equal('unknown')
    expect(checkHostKey(entries, '10.0.0.1', 22, keys.ed2!.blob).status).to.equal('changed')
  })

  it('refuses a changed key naming host, file:line and how to fix it, even when accepting new keys', () => {
    const file = join(dir, 'changed')
    writeFileSync(file, `# comment\nother ${keys.rsa!.type} ${keys.rsa!.b64}\n10.0.0.1 ${keys.ed!.type} ${keys.ed!.b64}\n`)
    const err = verifyError(new KnownHosts({ files: [file], acceptNew: true }), '10.0.0.1', 22, keys.ed2!.blob)
    expect(err.retryable).to.equal(false)
    expect(err.message).to.include(`${file}:3`).and.include('host web1').and.include('CHANGED')
    expect(err.message).to.include(fingerprint(keys.ed2!.blob)).and.include(fingerprint(keys.ed!.blob))
    expect(err.message).to.include(`remove line 3 from ${file}`)
    expect(readFileSync(file, 'utf8').split('\n').length).to.equal(4)
  })

  it('treats a key of an unrecorded type as changed when the host is known by another type', () => {
    const entries = parseKnownHosts(`10.0.0.1 ${keys.ed!.type} ${keys.ed!.b64}\n`, 'f')
    expect(checkHostKey(entries, '10.0.0.1', 22, keys.rsa!.blob).status).to.equal('changed')
  })

  it('offers the host key algorithms already recorded for a host first', () => {
    const file = join(dir, 'algos')
    writeFileSync(file, `10.0.0.1 ${keys.rsa!.type} ${keys.rsa!.b64}\n`)
    const kh = new KnownHosts({ files: [file], acceptNew: false })
    expect(kh.algorithmsFor('10.0.0.1', 22).slice(0, 3)).to.deep.equal(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    expect(kh.algorithmsFor('10.0.0.9', 22)[0]).to.equal('ssh-ed25519')
  })

  it('refuses a key marked @revoked, even if also listed as known', () => {
    const file = join(dir, 'revoked')
    writeFileSync(file, `10.0.0.1 ${keys.ed!.type} ${keys.ed!.b64}\n@revoked 10.0.0.* ${keys.ed!.type} ${keys.ed!.b64}\n`)
    const err = verifyError(new KnownHosts({ files: [file], acceptNew: true }), '10.0.0.1', 22, keys.ed!.blob)
    expect(err.message).to.include('revoked').and.include(`${file}:2`)
  })

  it('skips lines that do not parse or whose key does not match its type', () => {
    const entries = parseKnownHosts(`garbage\n10.0.0.1 ssh-rsa ${keys.ed!.b64}\n@weird h ${keys.ed!.type} ${keys.ed!.b64}\n\n`, 'f')
    expect(entries).to.deep.equal([])
  })

  it('refuses an unknown key with its fingerprint and the file to add it to', () => {
    const file = join(dir, 'none')
    const err = verifyError(new KnownHosts({ files: [file], acceptNew: false }), '10.0.0.5', 2222, keys.ecdsa!.blob)
    expect(err.message).to.include('not known').and.not.include('CHANGED')
    expect(err.message).to.include('10.0.0.5:2222').and.include(fingerprint(keys.ecdsa!.blob))
    expect(err.message).to.include(`run again with --accept-new-host-keys or add it to ${file}`)
  })

  it('records an accepted key where ssh-keygen -F finds it, in the first file given', () => {
    const first = join(dir, 'sub', 'known_hosts')
    const second = join(dir, 'second')
    writeFileSync(second, 'no newline at end')
    const kh = new KnownHosts({ files: [first, second], acceptNew: true })
    kh.verify('web1', '10.0.0.5', 2222, keys.ecdsa!.blob)
    const found = execFileSync('ssh-keygen', ['-F', '[10.0.0.5]:2222', '-f', first], { encoding: 'utf8' })
    expect(found).to.include(keys.ecdsa!.b64)
    expect(readFileSync(second, 'utf8')).to.equal('no newline at end')
    expect(() => new KnownHosts({ files: [first], acceptNew: false }).verify('web1', '10.0.0.5', 2222, keys.ecdsa!.blob)).not.to.throw()
  })
})
