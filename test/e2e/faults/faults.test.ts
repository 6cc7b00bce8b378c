// Faults on the sandbox (3 nodes, real sshd): a node's sshd killed mid-run, the connection cut while a big
// file's script arrives, Ctrl-C during a run, a full disk, the mirror stopped mid-run. Each is checked on the
// hosts (files whole and once, no temporary file left, old content kept), then a rerun must converge and the
// run after it change nothing. Node files are read from the host through /proc/PID/root, and sshd is stopped
// and started with nsenter, so the checks never depend on the sshd under test. Wall times are printed.

import { expect } from 'chai'
import { execFile, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { sandboxDown, sandboxUp, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { processTree } from '../../../src/sandbox/process-tree.js'
import { events, kubeseedAsync, totalChanged, type CliResult, type Recap } from '../../harness/cli.js'

const execFileP = promisify(execFile)
const HERE = fileURLToPath(new URL('.', import.meta.url))
// Its own sandbox and subnet, so it runs beside the other sandbox suites.
const NAME = 'ft'
const SUBNET = '10.231.24.0/24'
const NODES = ['node1', 'node2', 'node3']

type Event = Record<string, unknown>
interface Run { r: CliResult; events: Event[]; recap: Recap; seconds: number }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')

describe('faults on the sandbox: sshd killed, connection cut, Ctrl-C, full disk, mirror stopped', function () {
  this.timeout(3 * 60_000)
  let up: SandboxUpResult
  let scratch: string
  const tally = { faults: 0, converged: 0 }

  async function run(playbook: string, args: string[], onSpawn?: (c: ChildProcess) => void): Promise<Run> {
    const t0 = Date.now()
    const r = await kubeseedAsync(['play', join(HERE, playbook), '-i', up.inventory, '--known-hosts', up.knownHosts, '--output', 'json', ...args], { onSpawn })
    const seconds = (Date.now() - t0) / 1000
    process.stdout.write(`      kubeseed play ${playbook} ${args.join(' ')}: ${seconds.toFixed(1)} s wall, exit ${r.code}\n`)
    return { r, ...events(r), seconds }
  }
  const failures = (x: Run) => `${JSON.stringify(x.recap.failures)} ${x.r.stderr.slice(-1500)}`
  /** A rerun after the fault converges, and the run after it changes nothing. */
  async function converges(playbook: string, args: string[]): Promise<Run> {
    const rerun = await run(playbook, args)
    expect(rerun.r.code, failures(rerun)).to.equal(0)
    const after = await run(playbook, args)
    expect(after.r.code, failures(after)).to.equal(0)
    expect(totalChanged(after.recap), 'the run after the rerun changes nothing').to.equal(0)
    tally.converged++
    return rerun
  }

  /** The node's systemd (the first child of its nspawn process): its /proc root is the node's file system. */
  function init(node: string): number {
    const pid = up.state.nodes.find((n) => n.name === node)!.pid!
    return processTree(pid)[1]!
  }
  const onNode = (node: string, path: string) => `/proc/${init(node)}/root${path}`
  const readOnNode = (node: string, path: string) => readFileSync(onNode(node, path), 'utf8')
  async function sh(node: string, command: string): Promise<string> {
    const { stdout } = await execFileP('nsenter', ['-t', String(init(node)), '-a', '--', '/bin/sh', '-c', command])
    return stdout
  }
  const comm = (pid: number) => { try { return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() } catch { return '' } }
  const ppid = (pid: number) => { try { const s = readFileSync(`/proc/${pid}/stat`, 'utf8'); return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) } catch { return -1 } }
  /** sshd processes serving sessions (not the listener, which systemd started). */
  const sshdSessions = (node: string) => processTree(init(node)).filter((p) => comm(p) === 'sshd' && ppid(p) !== init(node))
  const kill = (pids: number[]) => { for (const p of pids) try { process.kill(p, 'SIGKILL') } catch { /* gone */ } }
  /** Temporary files of kubeseed anywhere they could be: the batch's directory in /tmp, ks_put's beside the file. */
  async function leftovers(node: string, dirs: string[]): Promise<string> {
    return (await sh(node, `ls -a /tmp ${dirs.join(' ')} 2>/dev/null | grep kubeseed || true`)).trim()
  }
  /** Long tasks' processes still running on the node (a stopped run leaves none). */
  const sleepers = async (node: string) => (await sh(node, 'cat /proc/[0-9]*/comm 2>/dev/null | grep -c "^sleep$" || true')).trim()
  async function until(what: string, test: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
    const end = Date.now() + ms
    while (!(await test())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
      await sleep(100)
    }
  }
  async function clean(paths: string): Promise<void> {
    await Promise.all(NODES.map((n) => sh(n, `rm -rf ${paths}`)))
  }

  before(async function () {
    this.timeout(10 * 60_000)
    await sandboxDown({ name: NAME })
    up = await sandboxUp({ name: NAME, nodes: NODES.length, subnet: SUBNET })
    scratch = mkdtempSync(join(tmpdir(), 'kubeseed-faults-'))
  })

  // A failed case must not leave a host without sshd for the next one.
  afterEach(async () => {
    await Promise.all(NODES.map((n) => sh(n, 'systemctl start ssh.service')))
  })

  after(async function () {
    this.timeout(2 * 60_000)
    process.stdout.write(`      faults survived: ${tally.faults}; runs converged after an interruption: ${tally.converged}\n`)
    await sandboxDown({ name: NAME })
    if (scratch) rmSync(scratch, { recursive: true, force: true })
  })

  it('sshd killed during a long task: that host unreachable, the others finish; a rerun converges, every edit once', async () => {
    await clean('/etc/ft /var/lib/ft-long.done /run/ft-long.started')
    const faulty = run('long-task.yaml', ['-e', 'long_seconds=6'])
    await until('the long task to start on node2', () => existsSync(onNode('node2', '/run/ft-long.started')))
    // The listener first (so nothing restarts it), then every sshd left (the sessions): the connection is gone.
    await sh('node2', 'systemctl stop ssh.service')
    kill(processTree(init('node2')).filter((p) => comm(p) === 'sshd'))
    const x = await faulty
    expect(x.r.code, failures(x)).to.equal(3)
    expect(x.recap.hosts.node2!.unreachable).to.equal(true)
    expect(x.recap.failures.node2).to.match(/connection to root@10\.231\.24\.3 lost while a script was running/)
    for (const h of ['node1', 'node3']) {
      expect(x.recap.hosts[h]!.unreachable, h).to.equal(false)
      expect(x.recap.hosts[h]!.failed, h).to.equal(0)
      expect(readOnNode(h, '/etc/ft/after.conf')).to.equal('complete\n')
    }
    // The orphaned script ends by itself once its long task is over (its output has nowhere to go).
    await until('the orphaned script on node2 to end', async () => (await sleepers('node2')) === '0')
    expect(await leftovers('node2', ['/etc/ft'])).to.equal('')
    expect(existsSync(onNode('node2', '/etc/ft/after.conf')), 'nothing after the long task ran on node2').to.equal(false)

    await sh('node2', 'systemctl start ssh.service')
    await converges('long-task.yaml', [])
    for (const h of NODES) {
      const lines = readOnNode(h, '/etc/ft/settings.conf').split('\n')
      for (const l of ['before=1', 'alpha=1', 'beta=2', 'after=1']) expect(lines.filter((x2) => x2 === l), `${h}: ${l}`).to.have.length(1)
      expect(lines.filter((l) => l.includes('BEGIN ANSIBLE MANAGED BLOCK')), h).to.have.length(1)
      expect(readOnNode(h, '/etc/ft/after.conf'), h).to.equal('complete\n')
    }
    tally.faults++
  })

  it('the connection cut while a big file is on its way: the file is old or new, never partial, no temporary file; a rerun converges', async () => {
    await clean('/srv/ft')
    const oldBig = join(scratch, 'big-old.bin')
    const newBig = join(scratch, 'big-new.bin')
    writeFileSync(oldBig, randomBytes(8 << 20))
    writeFileSync(newBig, randomBytes(8 << 20))
    const oldSum = sha256(readFileSync(oldBig))
    const newSum = sha256(readFileSync(newBig))
    expect((await run('big-file.yaml', ['-e', `big_src=${oldBig}`])).r.code).to.equal(0)

    const faulty = run('big-file.yaml', ['-e', `big_src=${newBig}`])
    // The batch's temporary directory exists from the script's first lines, while the file's data still arrives.
    await until('the script to start arriving on node2', () => readdirSync(onNode('node2', '/tmp')).some((n) => n.startsWith('.kubeseed.')), 60_000)
    kill(sshdSessions('node2'))
    const x = await faulty
    expect(x.r.code, failures(x)).to.equal(3)
    expect(x.recap.hosts.node2!.unreachable).to.equal(true)
    for (const h of ['node1', 'node3']) expect(sha256(readFileSync(onNode(h, '/srv/ft/big.bin'))), h).to.equal(newSum)
    await until('the cut script on node2 to end', async () => (await leftovers('node2', ['/srv/ft'])) === '', 10_000)
    const kept = sha256(readFileSync(onNode('node2', '/srv/ft/big.bin')))
    expect([oldSum, newSum]).to.include(kept)
    process.stdout.write(`      node2 holds the ${kept === oldSum ? 'old' : 'new'} version after the cut\n`)
    expect(await sh('node2', 'stat -c %a /srv/ft/big.bin')).to.equal('600\n')

    await converges('big-file.yaml', ['-e', `big_src=${newBig}`])
    for (const h of NODES) expect(sha256(readFileSync(onNode(h, '/srv/ft/big.bin'))), h).to.equal(newSum)
    tally.faults++
  })

  it('Ctrl-C during a run: stops within seconds, names the hosts mid-task, stops their tasks, no temporary file; a rerun converges', async () => {
    await clean('/etc/ft /var/lib/ft-long.done /run/ft-long.started')
    let child: ChildProcess | undefined
    const interrupted = run('long-task.yaml', ['-e', 'long_seconds=60'], (c) => { child = c })
    try {
      await until('the long task to start on every node', () => NODES.every((h) => existsSync(onNode(h, '/run/ft-long.started'))))
    } catch (e) {
      child?.kill('SIGKILL')
      throw e
    }
    const t0 = Date.now()
    child!.kill('SIGINT')
    const x = await interrupted
    const stopSeconds = (Date.now() - t0) / 1000
    process.stdout.write(`      stopped ${stopSeconds.toFixed(1)} s after SIGINT\n`)
    expect(stopSeconds).to.be.lessThan(10)
    expect(x.r.code).to.equal(130)
    const last = x.r.stderr.trim().split('\n').slice(-2).join('\n')
    expect(last).to.match(/stopped mid-task on node1 \(task "Long task"\), node2 \(task "Long task"\), node3 \(task "Long task"\)/)
    expect(last).to.match(/run the same command again to finish/)
    expect(x.r.stderr).not.to.match(/\n\s+at /)
    for (const h of NODES) {
      expect(x.recap.failures[h], h).to.match(/task "Long task": interrupted/)
      expect(await sleepers(h), `${h}: the long task was stopped`).to.equal('0')
      expect(await leftovers(h, ['/etc/ft']), h).to.equal('')
      expect(existsSync(onNode(h, '/var/lib/ft-long.done')), h).to.equal(false)
      expect(existsSync(onNode(h, '/etc/ft/after.conf')), h).to.equal(false)
    }
    // What a run killed outright (SIGKILL, no trap) would leave beside a file: the next write of it removes it.
    await sh('node1', 'echo half > /etc/ft/.after.conf.kubeseed-Stale123 && touch -d "2 hours ago" /etc/ft/.after.conf.kubeseed-Stale123')
    await converges('long-task.yaml', [])
    for (const h of NODES) {
      const lines = readOnNode(h, '/etc/ft/settings.conf').split('\n')
      for (const l of ['before=1', 'alpha=1', 'after=1']) expect(lines.filter((x2) => x2 === l), `${h}: ${l}`).to.have.length(1)
      expect(await leftovers(h, ['/etc/ft']), h).to.equal('')
    }
    tally.faults++
  })

  it('a full disk on one host: a clear error naming the file and "No space left", the old file intact, no temporary file', async () => {
    await clean('/srv/full')
    const small = 'version=1\n'
    expect((await run('full-disk.yaml', ['-e', `app_config=${small}`])).r.code).to.equal(0)
    await sh('node2', 'mount -t tmpfs -o size=64k tmpfs /srv/full && printf "version=1\\n" > /srv/full/app.conf && chmod 0640 /srv/full/app.conf')
    const big = `${'x'.repeat(200 * 1024)}\n`
    writeFileSync(join(scratch, 'big.yaml'), JSON.stringify({ app_config: big }))
    try {
      const x = await run('full-disk.yaml', ['-e', `@${join(scratch, 'big.yaml')}`])
      expect(x.r.code, failures(x)).to.equal(2)
      expect(x.recap.failures.node2).to.match(/task "Application config": .*No space left on device.*cannot write \/srv\/full\/app\.conf/)
      expect(Object.keys(x.recap.failures)).to.deep.equal(['node2'])
      expect(readOnNode('node2', '/srv/full/app.conf')).to.equal(small)
      expect(await leftovers('node2', ['/srv/full'])).to.equal('')
      for (const h of ['node1', 'node3']) expect(readOnNode(h, '/srv/full/app.conf'), h).to.equal(big)
    } finally {
      await sh('node2', 'umount /srv/full')
    }
    await converges('full-disk.yaml', ['-e', `@${join(scratch, 'big.yaml')}`])
    expect(readOnNode('node2', '/srv/full/app.conf')).to.equal(big)
    tally.faults++
  })

  it('the mirror stopped mid-run: each host fails naming the mirror URL; a rerun after it is back converges', async () => {
    await clean('/opt/ft /run/ft-first.done')
    const files = { 'first.bin': randomBytes(256 << 10), 'second.bin': randomBytes(256 << 10) }
    const serve = (port: number) => new Promise<Server>((resolve, reject) => {
      const server = createServer((req, res) => {
        const body = files[(req.url ?? '').slice(1) as keyof typeof files]
        if (!body) { res.writeHead(404).end(); return }
        res.writeHead(200, { 'content-length': body.length }).end(body)
      })
      server.once('error', reject)
      server.listen(port, up.state.bastion, () => resolve(server))
    })
    const stopServer = (s: Server) => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()) })
    let server = await serve(0)
    const port = (server.address() as AddressInfo).port
    const url = `http://${up.state.bastion}:${port}`
    const vars = ['-e', `mirror_url=${url}`, '-e', `first_sha256=${sha256(files['first.bin'])}`, '-e', `second_sha256=${sha256(files['second.bin'])}`]
    try {
      const faulty = run('mirror.yaml', [...vars, '-e', 'pause_seconds=3'])
      await until('every node to have the first file', () => NODES.every((h) => existsSync(onNode(h, '/run/ft-first.done'))))
      await stopServer(server)
      const x = await faulty
      expect(x.r.code, failures(x)).to.equal(2)
      for (const h of NODES) {
        expect(x.recap.failures[h], h).to.include(`task "Second file from the mirror": `)
        expect(x.recap.failures[h], h).to.include(`${url}/second.bin`)
        expect(x.recap.failures[h], h).to.match(/Failed to connect|Connection refused/)
        expect(readFileSync(onNode(h, '/opt/ft/first.bin')).equals(files['first.bin']), h).to.equal(true)
        expect(existsSync(onNode(h, '/opt/ft/second.bin')), h).to.equal(false)
        expect(await leftovers(h, ['/opt/ft']), h).to.equal('')
      }
      server = await serve(port)
      await converges('mirror.yaml', vars)
      for (const h of NODES) expect(readFileSync(onNode(h, '/opt/ft/second.bin')).equals(files['second.bin']), h).to.equal(true)
    } finally {
      await stopServer(server)
    }
    tally.faults++
  })
})
