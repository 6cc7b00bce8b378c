import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TEMPLATES_DIR } from '../../../src/engine/paths.js'
import { hostScope, render } from './role-scope.js'

// The certificate script as the etcd role installs it, run for real with openssl.
describe('etcd certificate script (make-ssl-etcd.sh)', function () {
  this.timeout(30_000)
  let work: string
  let script: string
  const run = (...args: string[]) => execFileSync('sh', [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const openssl = (...args: string[]) => execFileSync('openssl', args).toString()

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'kubeseed-etcd-ssl-'))
    script = join(work, 'make-ssl-etcd.sh')
    writeFileSync(script, render('etcd/make-ssl-etcd.sh.hbs', hostScope('node1', ['etcd'])))
  })
  after(() => rmSync(work, { recursive: true, force: true }))

  it('renders unchanged from the template and passes sh -n', () => {
    expect(readFileSync(script, 'utf8')).to.equal(readFileSync(join(TEMPLATES_DIR, 'etcd/make-ssl-etcd.sh.hbs'), 'utf8'))
    execFileSync('sh', ['-n', script])
  })

  it('makes a CA once, then member and admin certificates it signed, for the names and addresses given', () => {
    const dir = join(work, 'ssl')
    run(dir)
    expect(readdirSync(dir).sort()).to.deep.equal(['ca-key.pem', 'ca.pem'])
    expect(openssl('x509', '-in', join(dir, 'ca.pem'), '-noout', '-ext', 'basicConstraints')).to.match(/CA:TRUE/)
    run(dir, 'node2', 'node2', '10.231.0.3', 'fd00::3')
    expect(readdirSync(dir).sort()).to.deep.equal(['admin-node2-key.pem', 'admin-node2.pem', 'ca-key.pem', 'ca.pem', 'member-node2-key.pem', 'member-node2.pem'])
    for (const leaf of ['member-node2.pem', 'admin-node2.pem']) {
      const cert = join(dir, leaf)
      expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslserver', cert)).to.contain(': OK')
      expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslclient', cert)).to.contain(': OK')
      const san = openssl('x509', '-in', cert, '-noout', '-ext', 'subjectAltName')
      for (const want of ['DNS:localhost', 'IP Address:127.0.0.1', 'DNS:node2', 'IP Address:10.231.0.3', 'IP Address:FD00:0:0:0:0:0:0:3']) expect(san).to.contain(want)
    }
    expect(statSync(join(dir, 'member-node2-key.pem')).mode & 0o077).to.equal(0)
    expect(readdirSync(dir).some((f) => f.endsWith('.tmp'))).to.equal(false)
  })

  it('makes a node client certificate (node-NAME.pem) for an API server, signed by the same CA', () => {
    const dir = join(work, 'node')
    run(dir)
    run(dir, '--node', 'cp1')
    expect(readdirSync(dir).sort()).to.deep.equal(['ca-key.pem', 'ca.pem', 'node-cp1-key.pem', 'node-cp1.pem'])
    expect(openssl('verify', '-CAfile', join(dir, 'ca.pem'), '-purpose', 'sslclient', join(dir, 'node-cp1.pem'))).to.contain(': OK')
    expect(openssl('x509', '-in', join(dir, 'node-cp1.pem'), '-noout', '-subject')).to.contain('etcd-node-cp1')
  })

  it('keeps every existing file when run again', () => {
    const dir = join(work, 'again')
    run(dir, 'node1', '10.0.0.1')
    const before = Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
    run(dir)
    run(dir, 'node1', '10.0.0.1')
    expect(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]))).to.deep.equal(before)
  })

  it('fails with a usage line when no directory is given', () => {
    try {
      run()
      expect.fail('the script accepted no arguments')
    } catch (e) {
      expect((e as { status: number }).status).to.equal(2)
      expect(String((e as { stderr: Buffer }).stderr)).to.match(/^usage: /)
    }
  })
})
