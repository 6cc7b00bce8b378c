// Secrets in outputs, with the real CLI on the local connection: get_url's headers and a URL's password never
// appear on any process's command line while the download runs, nor in the text (-vv, --diff) or NDJSON
// output; nothing of a no_log task (its message, its URL) leaves it.

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeseedAsync } from '../../harness/cli.js'

const TOKEN = 'Bearer t0ken-S3CRET-4f1a'
const PASSWORD = 'pa55-S3CRET-9c2e'

describe('secrets stay out of argv and output (real CLI, local connection)', function () {
  this.timeout(120_000)
  let server: Server
  let port = 0
  let dir: string
  let hold: Promise<void> = Promise.resolve()
  let arrived: () => void = () => {}
  const seen: Array<{ auth?: string; token?: string }> = []

  before(async () => {
    server = createServer(async (req, res) => {
      seen.push({ auth: req.headers.authorization, token: req.headers['x-token'] as string | undefined })
      arrived()
      await hold
      res.end('payload\n')
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as { port: number }).port
  })
  after(() => new Promise((r) => server.close(r)))
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-secrets-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('get_url with an Authorization header and user:password@ in the URL: not in ps, not in -vv --diff, not in NDJSON', async () => {
    writeFileSync(join(dir, 'hosts.ini'), '[g]\nlocal1 ansible_connection=local\n')
    writeFileSync(join(dir, 'pb.yaml'), [
      '- hosts: g', '  gather_facts: false', '  tasks:',
      '    - name: download with credentials',
      `      get_url: { url: "http://deploy:${PASSWORD}@127.0.0.1:${port}/f", dest: "${dir}/out-{{ mode }}", checksum_waived: true, mode: "0600", headers: { Authorization: "${TOKEN}", X-Token: "${TOKEN}" } }`,
      '    - name: secret step',
      `      get_url: { url: "http://deploy:${PASSWORD}@127.0.0.1:1/nothing", dest: "${dir}/never", checksum_waived: true }`,
      '      no_log: true',
      '      ignore_errors: true', '',
    ].join('\n'))
    const outputs: string[] = []
    const snapshots: string[] = []
    for (const [mode, flags] of [['text', ['-vv', '--diff', '--no-progress']], ['json', ['--output', 'json', '-vv', '--diff']]] as const) {
      let release: () => void = () => {}
      hold = new Promise((r) => { release = r })
      const reached = new Promise<void>((r) => { arrived = r })
      const run = kubeseedAsync(['play', join(dir, 'pb.yaml'), '-i', join(dir, 'hosts.ini'), '-e', `mode=${mode}`, ...flags])
      await reached
      // The download is in flight (the server holds the answer): every process's command line, now.
      snapshots.push(execFileSync('ps', ['-eo', 'args', '--no-headers'], { encoding: 'utf8' }))
      release()
      const r = await run
      expect(r.code, r.stdout + r.stderr).to.equal(0)
      outputs.push(r.stdout + r.stderr)
      expect(readFileSync(join(dir, `out-${mode}`), 'utf8')).to.equal('payload\n')
    }
    expect(snapshots.join('\n')).to.include('curl')
    for (const text of [...snapshots, ...outputs]) {
      expect(text).not.to.include('S3CRET')
    }
    expect(outputs[1]).to.include(`"urls":["http://deploy:***@127.0.0.1:${port}/f"]`)
    expect(outputs[1]).not.to.include('127.0.0.1:1/nothing')
    expect(outputs[0]).to.include('the output has been hidden due to no_log: true')
    expect(seen.filter((s) => s.token === TOKEN && s.auth === TOKEN)).to.have.length(2)
  })
})
