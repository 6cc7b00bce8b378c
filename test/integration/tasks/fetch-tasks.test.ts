// Path-only and network task types, run for real in a temporary directory; HTTP and TCP only on loopback.

import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fetch } from '../../../src/tasks/fetch.js'
import { getUrl } from '../../../src/tasks/get-url.js'
import { slurp } from '../../../src/tasks/slurp.js'
import { stat } from '../../../src/tasks/stat.js'
import { waitFor } from '../../../src/tasks/wait-for.js'
import { runTask } from './run-task.js'

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex')

describe('get_url, stat, slurp, fetch, wait_for (real runs)', function () {
  this.timeout(60_000)
  let dir: string
  let server: Server
  let base: string
  const hits: string[] = []
  const body = 'kubeadm-binary-bytes\n'

  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '')
      if (req.url === '/kubeadm') res.end(body)
      else { res.statusCode = 404; res.end('no') }
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((r) => server.close(() => r())))
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-net-')); hits.length = 0 })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('get_url downloads once, verified; the second run does not download', async () => {
    const dest = join(dir, 'kubeadm')
    const params = { url: `${base}/kubeadm`, dest, checksum: `sha256:${sha256(body)}`, mode: '0755' }
    const chk = await runTask(getUrl, params, { check: true })
    expect(chk.changes).to.deep.equal([`download ${base}/kubeadm to ${dest}`])
    expect(hits).to.deep.equal([])
    const first = await runTask(getUrl, params)
    expect(first.rc, first.stderr).to.equal(0)
    expect(first.stdout).to.include(`url: ${base}/kubeadm`)
    expect(first.register.url).to.equal(`${base}/kubeadm`)
    expect(readFileSync(dest, 'utf8')).to.equal(body)
    expect((statSync(dest).mode & 0o777).toString(8)).to.equal('755')
    const second = await runTask(getUrl, params)
    expect(second.changes).to.deep.equal([])
    expect(hits).to.deep.equal(['/kubeadm'])
  })

  it('get_url refuses a checksum mismatch and installs nothing', async () => {
    const dest = join(dir, 'kubeadm')
    const wrong = 'a'.repeat(64)
    const r = await runTask(getUrl, { url: `${base}/kubeadm`, dest, checksum: `sha256:${wrong}` })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include(`checksum mismatch for ${base}/kubeadm: expected ${wrong}, got ${sha256(body)}`)
    expect(existsSync(dest)).to.equal(false)
    const { readdirSync } = await import('node:fs')
    expect(readdirSync(dir)).to.deep.equal([])
  })

  it('get_url replaces a file whose checksum is wrong, and fails on HTTP errors', async () => {
    const dest = join(dir, 'kubeadm')
    writeFileSync(dest, 'old')
    expect((await runTask(getUrl, { url: `${base}/kubeadm`, dest, checksum: `sha256:${sha256(body)}` })).changes).to.have.length(1)
    expect(readFileSync(dest, 'utf8')).to.equal(body)
    const r = await runTask(getUrl, { url: `${base}/missing`, dest: join(dir, 'm'), checksum_waived: true })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include(`download of ${base}/missing failed`)
  })

  it('stat registers what Ansible registers', async () => {
    const f = join(dir, 'f')
    writeFileSync(f, 'abc', { mode: 0o640 })
    symlinkSync(f, join(dir, 'l'))
    const r = await runTask(stat, { path: f, checksum_algorithm: 'sha256' })
    expect(r.register.stat).to.deep.include({ exists: true, isreg: true, isdir: false, mode: '0640', size: 3, checksum: sha256('abc') })
    expect((await runTask(stat, { path: dir })).register.stat).to.deep.include({ exists: true, isdir: true })
    expect((await runTask(stat, { path: join(dir, 'l') })).register.stat).to.deep.include({ islnk: true, lnk_source: f })
    expect((await runTask(stat, { path: join(dir, 'none') })).register.stat).to.deep.equal({ exists: false })
  })

  it('slurp returns base64 content; fetch writes under dest/<host>/<path> once', async () => {
    const f = join(dir, 'admin.conf')
    const content = Buffer.from([1, 2, 3, 0, 255, 10])
    writeFileSync(f, content)
    const s = await runTask(slurp, { src: f })
    expect(Buffer.from(String(s.register.content), 'base64')).to.deep.equal(content)
    const out = join(dir, 'fetched')
    const first = await runTask(fetch, { src: f, dest: out })
    const target = join(out, 'node1', f)
    expect(first.register).to.include({ changed: true, dest: target })
    expect(readFileSync(target)).to.deep.equal(content)
    expect(statSync(target).mode & 0o777, 'a fetched kubeconfig is readable by the controller user only').to.equal(0o600)
    expect((await runTask(fetch, { src: f, dest: out })).register).to.include({ changed: false })
    const flat = await runTask(fetch, { src: f, dest: `${out}/`, flat: true })
    expect(flat.register.dest).to.equal(join(out, 'admin.conf'))
    const missing = await runTask(fetch, { src: join(dir, 'nope'), dest: out })
    expect(missing.rc).to.equal(1)
    expect(missing.stderr).to.include('file not found')
  })

  it('wait_for: a port opening, a port staying closed (timeout), a file with a regex', async () => {
    const tcp = createTcpServer((s) => s.end())
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r))
    const port = (tcp.address() as AddressInfo).port
    try {
      const open = await runTask(waitFor, { port, timeout: 5 })
      expect(open.rc, open.stderr).to.equal(0)
      expect(open.changes).to.deep.equal([])
    } finally {
      await new Promise<void>((r) => tcp.close(() => r()))
    }
    const closed = await runTask(waitFor, { port, timeout: 1, msg: 'apiserver did not come up' })
    expect(closed.rc).to.equal(1)
    expect(closed.stderr).to.include('apiserver did not come up')
    expect((await runTask(waitFor, { port, state: 'stopped', timeout: 3 })).rc).to.equal(0)
    const f = join(dir, 'log')
    setTimeout(() => writeFileSync(f, 'starting\nready: yes\n'), 500)
    const w = await runTask(waitFor, { path: f, search_regex: '^ready:\\s+yes', timeout: 10 })
    expect(w.rc, w.stderr).to.equal(0)
  })
})
