// One owner per sandbox name, between real processes: the owner (test/harness/sandbox-owner.ts) holds the
// name as a process whose `up` has returned does; other processes run the real CLI against it.

import { expect } from 'chai'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { processStartTime } from '../../../src/sandbox/process-tree.js'
import { kubeseed, type CliResult } from '../../harness/cli.js'
import { requireRoot } from '../../harness/requirements.js'

const OWNER = join(PACKAGE_ROOT, 'test', 'harness', 'sandbox-owner.ts')
const NAME = 'lockcheck'
// The reset-scale suite's subnet: should the lock fail to refuse, the node booted there is on a subnet of ours.
const SUBNET = '10.231.17.0/24'

interface Owner { child: ChildProcess; lines: AsyncIterator<string> }

describe('sandbox owner lock (between processes)', function () {
  this.timeout(60_000)
  let home: string
  const owners: ChildProcess[] = []
  const lockFile = () => join(home, `${NAME}.lock`)
  const cli = (args: string[]): CliResult => kubeseed(['sandbox', ...args, '--name', NAME], { env: { KUBESEED_SANDBOX_HOME: home } })

  /** A process ready to take the name (on `take(o)`). */
  async function startOwner(): Promise<Owner> {
    const child = spawn(process.execPath, ['--import', 'tsx', OWNER, NAME], {
      cwd: PACKAGE_ROOT, env: { ...process.env, KUBESEED_SANDBOX_HOME: home }, stdio: ['pipe', 'pipe', 'inherit'],
    })
    owners.push(child)
    const o = { child, lines: createInterface({ input: child.stdout! })[Symbol.asyncIterator]() }
    expect(await nextLine(o)).to.equal('ready')
    return o
  }
  const nextLine = async (o: Owner) => (await o.lines.next()).value as string
  const take = (o: Owner) => { o.child.stdin!.write('take\n'); return nextLine(o) }
  const ended = (o: Owner) => new Promise((r) => { if (o.child.exitCode !== null) r(undefined); else o.child.once('exit', r) })

  before(() => requireRoot('sandbox down looks for cgroups and links'))
  beforeEach(() => { home = mkdtempSync(join(tmpdir(), 'ks-owner-lock-')) })
  afterEach(async () => {
    for (const c of owners.splice(0)) c.kill('SIGKILL')
    // Only when the lock failed to refuse an up: the sandbox it brought up goes.
    if (existsSync(join(home, NAME))) cli(['down'])
    rmSync(home, { recursive: true, force: true })
  })

  it('refuses a second up and a down while the owner lives, in one line naming the name and its pid; the owner\'s down frees it', async () => {
    const owner = await startOwner()
    const pid = owner.child.pid as number
    expect(await take(owner)).to.equal(`owner ${pid}`)

    const up = cli(['up', '--nodes', '1', '--subnet', SUBNET])
    const down = cli(['down'])
    for (const r of [up, down]) {
      expect(r.code, r.stdout).to.equal(4)
      expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1)
      expect(r.stderr).to.match(new RegExp(`sandbox "${NAME}" is in use by pid ${pid} \\(that process owns it until its \`sandbox down\``))
    }
    expect(existsSync(join(home, NAME)), 'registry entry').to.equal(false)
    expect(readFileSync(lockFile(), 'utf8')).to.equal(`${pid} ${processStartTime(pid)}\n`)

    owner.child.stdin!.write('down\n')
    expect(await nextLine(owner)).to.equal('down')
    expect(existsSync(lockFile()), 'lock after the owner\'s down').to.equal(false)
    const after = cli(['down'])
    expect([after.code, after.stdout]).to.deep.equal([0, `no sandbox named ${NAME}\n`])
    expect(existsSync(lockFile()), 'lock after another down').to.equal(false)
  })

  it('takes over the lock of an owner that has ended, and of a pid now used by another process', async () => {
    const owner = await startOwner()
    expect(await take(owner)).to.match(/^owner \d+$/)
    owner.child.kill('SIGKILL')
    await ended(owner)
    expect(existsSync(lockFile())).to.equal(true)
    const taken = cli(['down'])
    expect(taken.code, taken.stderr).to.equal(0)
    expect(existsSync(lockFile())).to.equal(false)

    // This test's own pid with another start time: a pid reused after its owner ended.
    writeFileSync(lockFile(), `${process.pid} 1\n`)
    const reused = cli(['down'])
    expect(reused.code, reused.stderr).to.equal(0)
    expect(existsSync(lockFile())).to.equal(false)
  })

  it('lets exactly one of several processes racing for an abandoned lock take it', async () => {
    writeFileSync(lockFile(), '999999999 1\n')
    const racers = await Promise.all(Array.from({ length: 4 }, () => startOwner()))
    const said = await Promise.all(racers.map(take))
    const winners = said.filter((l) => l.startsWith('owner '))
    expect(winners, said.join('\n')).to.have.length(1)
    const pid = winners[0].slice('owner '.length)
    for (const l of said.filter((x) => !x.startsWith('owner '))) expect(l).to.match(new RegExp(`^refused sandbox "${NAME}" is in use by pid ${pid} `))
    expect(readFileSync(lockFile(), 'utf8').split(' ')[0]).to.equal(pid)
  })
})
