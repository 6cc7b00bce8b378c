// Ctrl-C during a run, without a sandbox: a task running on the local connection is stopped with everything
// it started, and a host still in its SSH handshake does not hold the run up. The sandbox suite
// (test/e2e/faults) does the same over real SSH.

import { expect } from 'chai'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { kubeseedAsync } from '../../harness/cli.js'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Processes whose command line has `word` as an argument. */
function processesWith(word: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(word) } catch { return false }
  }).map(Number)
}

describe('CLI: Ctrl-C during a run', function () {
  this.timeout(60_000)
  let dir: string
  before(() => { dir = mkdtempSync(join(tmpdir(), 'ks-interrupt-')) })
  after(() => rmSync(dir, { recursive: true, force: true }))

  async function interrupt(args: string[], ready: () => boolean): Promise<{ code: number; stderr: string; seconds: number }> {
    let child: ChildProcess | undefined
    const done = kubeseedAsync(args, { onSpawn: (c) => { child = c } })
    for (let i = 0; i < 300 && !ready(); i++) await sleep(50)
    expect(ready(), 'the run got to the point to interrupt').to.equal(true)
    const t0 = Date.now()
    child!.kill('SIGINT')
    const r = await done
    return { code: r.code, stderr: r.stderr, seconds: (Date.now() - t0) / 1000 }
  }

  it('stops the task running on a host and everything it started, names the host and task, exits 130', async () => {
    const mark = join(dir, 'started')
    const seconds = `${40 + Math.floor(Math.random() * 1000) / 1000}`
    writeFileSync(join(dir, 'local.ini'), 'local1 ansible_connection=local\n')
    writeFileSync(join(dir, 'sleep.yaml'), [
      '- hosts: all', '  gather_facts: false', '  tasks:',
      '    - name: Long sleep', `      shell: "touch ${mark}; sleep ${seconds}"`,
      '    - name: Never reached', '      command: "true"', '',
    ].join('\n'))
    const r = await interrupt(['play', join(dir, 'sleep.yaml'), '-i', join(dir, 'local.ini')], () => existsSync(mark))
    expect(r.code).to.equal(130)
    expect(r.seconds).to.be.below(5)
    const last = r.stderr.trim().split('\n').slice(-2)
    expect(last[0]).to.equal('kubeseed: interrupted; stopped mid-task on local1 (task "Long sleep")')
    expect(last[1]).to.match(/no task was started after the interruption; run the same command again to finish/)
    expect(r.stderr).not.to.match(/\n\s+at /)
    expect(processesWith(seconds)).to.deep.equal([])
  })

  it('does not wait for a host still in its SSH handshake', async () => {
    // A port that accepts and never speaks SSH: the handshake would wait for the connect timeout.
    const sockets: Socket[] = []
    let accepted = 0
    const server: Server = createServer((s) => { accepted++; sockets.push(s) })
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res))
    const port = (server.address() as { port: number }).port
    try {
      writeFileSync(join(dir, 'silent.ini'), `silent1 ansible_host=127.0.0.1 ansible_port=${port} ansible_user=root\n`)
      writeFileSync(join(dir, 'noop.yaml'), '- hosts: all\n  tasks:\n    - command: "true"\n')
      const r = await interrupt(['play', join(dir, 'noop.yaml'), '-i', join(dir, 'silent.ini')], () => accepted > 0)
      expect(r.code).to.equal(130)
      expect(r.seconds).to.be.below(3)
      expect(r.stderr.trim().split('\n').slice(-2)[0]).to.equal('kubeseed: interrupted between tasks; no host was mid-task')
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise((res) => server.close(res))
    }
  })
})
