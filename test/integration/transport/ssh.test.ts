import { expect } from 'chai'
import { createHash, randomBytes } from 'node:crypto'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConnectError } from '../../../src/engine/errors.js'
import { buildBatch, parseBatch } from '../../../src/engine/step/batch.js'
import { connectSsh, type SshConnection } from '../../../src/engine/transport/ssh.js'
import { DEPLOY_PASSWORD } from '../../../src/sandbox/light.js'
import { lightAddress, lightSshOptions, useLightCluster } from '../../harness/light-cluster.js'

async function rejection(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p
  } catch (e) {
    expect(e).to.be.instanceOf(ConnectError)
    return e as ConnectError
  }
  throw new Error('expected a ConnectError, but it succeeded')
}

describe('ssh transport against real sshd (light hosts)', function () {
  this.timeout(60_000)
  const shared = useLightCluster({ count: 5, name: 'ssh' })
  const open: SshConnection[] = []
  let scratch: string

  before(() => { scratch = mkdtempSync(join(tmpdir(), 'kubeseed-ssh-test-')) })
  after(() => rmSync(scratch, { recursive: true, force: true }))
  afterEach(async () => {
    await Promise.all(open.splice(0).map((c) => c.close()))
  })

  async function connect(host: string, user = 'root', extra = {}): Promise<SshConnection> {
    const c = shared.cluster
    const conn = await connectSsh(lightAddress(c, host, user), lightSshOptions(c, extra))
    open.push(conn)
    return conn
  }

  describe('exec', () => {
    it('runs a script as root and returns stdout, stderr and the exit code apart', async () => {
      const conn = await connect('ssh1')
      const r = await conn.exec({ script: 'hostname; id -u; echo oops >&2; exit 7' })
      expect(r.code).to.equal(7)
      expect(r.stdout.toString()).to.equal('ssh1\n0\n')
      expect(r.stderr.toString()).to.equal('oops\n')
      const ok = await conn.exec({ script: 'true' })
      expect(ok.code).to.equal(0)
      expect(conn.roundTrips).to.equal(2)
    })

    it('becomes root from deploy with the sudo password, without leaking it', async () => {
      const conn = await connect('ssh1', 'deploy')
      const plain = await conn.exec({ script: 'id -un' })
      expect(plain.stdout.toString()).to.equal('deploy\n')
      const r = await conn.exec({ script: 'id -un; printf "%s" "$HOME"; cat /etc/shadow >/dev/null && echo shadow-readable',
        become: { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString()).to.equal('root\n/rootshadow-readable\n')
      expect(r.stdout.toString() + r.stderr.toString()).not.to.include(DEPLOY_PASSWORD)
    })

    it('uses the inventory become password when the task gives none', async () => {
      const c = shared.cluster
      const conn = await connectSsh({ ...lightAddress(c, 'ssh1', 'deploy'), becomePassword: DEPLOY_PASSWORD }, lightSshOptions(c))
      open.push(conn)
      const r = await conn.exec({ script: 'id -u', become: { method: 'sudo', user: 'root' } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString()).to.equal('0\n')
    })

    it('becomes root as nopass with sudo -n, and fails clearly when sudo wants a password', async () => {
      const nopass = await connect('ssh2', 'nopass')
      const r = await nopass.exec({ script: 'id -u', become: { method: 'sudo', user: 'root' } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString()).to.equal('0\n')
      const deploy = await connect('ssh2', 'deploy')
      const denied = await deploy.exec({ script: 'id -u', become: { method: 'sudo', user: 'root' } })
      expect(denied.code).to.equal(1)
      expect(denied.stdout.toString()).to.equal('')
      expect(denied.stderr.toString()).to.include('a password is required')
    })

    it('never runs the sudo password as a command when sudo does not ask for it (NOPASSWD)', async () => {
      const nopass = await connect('ssh2', 'nopass')
      const r = await nopass.exec({ script: 'id -u; cat', become: { method: 'sudo', user: 'root', password: 'p$(touch /tmp/ks-pw-ran)w' } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString()).to.equal('0\n')
      expect(r.stderr.toString()).to.not.include('p$(touch')
      const probe = await nopass.exec({ script: 'test -e /tmp/ks-pw-ran && echo ran || echo clean' })
      expect(probe.stdout.toString()).to.equal('clean\n')
    })

    it('becomes another non-root user', async () => {
      const conn = await connect('ssh2', 'deploy')
      const r = await conn.exec({ script: 'id -un', become: { method: 'sudo', user: 'nopass', password: DEPLOY_PASSWORD } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString()).to.equal('nopass\n')
    })

    it('feeds a 1 MB script through stdin intact', async () => {
      const conn = await connect('ssh1', 'deploy')
      const data = randomBytes(384 * 1024).toString('base64') // 512 KiB of text per copy
      const body = `${data}\n${data}\n`
      const script = `sha256sum <<'EOF_DATA'\n${body}EOF_DATA\n`
      expect(script.length).to.be.greaterThan(1024 * 1024)
      const r = await conn.exec({ script, become: { method: 'sudo', user: 'root', password: DEPLOY_PASSWORD } })
      expect(r.code, r.stderr.toString()).to.equal(0)
      expect(r.stdout.toString().split(' ')[0]).to.equal(createHash('sha256').update(body).digest('hex'))
    })

    it('runs 12 concurrent execs on one connection with at most 8 channels open', async () => {
      const conn = await connect('ssh3')
      await conn.exec({ script: 'rm -rf /tmp/running; mkdir /tmp/running' })
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => conn.exec({
        script: `mkdir /tmp/running/${i}; sleep 0.4; ls /tmp/running | wc -l; rmdir /tmp/running/${i}`,
      })))
      expect(results.map((r) => r.code)).to.deep.equal(Array(12).fill(0))
      const peaks = results.map((r) => Number(r.stdout.toString().trim()))
      expect(Math.max(...peaks)).to.be.at.most(8)
      expect(Math.max(...peaks)).to.be.at.least(4)
      expect(conn.sessionsOpened).to.equal(1)
    })

    it('answers with a TIMEOUT result when a script runs past its timeout, and the connection stays usable', async () => {
      const conn = await connect('ssh1')
      const t0 = Date.now()
      const r = await conn.exec({ script: 'echo started; exec sleep 20', timeoutMs: 500 })
      expect(Date.now() - t0).to.be.below(5000)
      expect(r.code).to.equal(null)
      expect(r.signal).to.equal('TIMEOUT')
      expect(r.stdout.toString()).to.equal('started\n')
      expect((await conn.exec({ script: 'echo still here' })).stdout.toString()).to.equal('still here\n')
    })

    for (const user of ['root', 'deploy'] as const) {
      it(`stops a script and every process it started when the run is aborted (${user === 'root' ? 'as root' : 'through sudo'}), and the connection stays usable`, async () => {
        const conn = await connect('ssh3', user)
        const become = user === 'root' ? undefined : { method: 'sudo' as const, user: 'root', password: DEPLOY_PASSWORD }
        const stop = new AbortController()
        const t0 = Date.now()
        const running = conn.exec({ script: 'echo started; sleep 31.7; echo never', become, signal: stop.signal })
        setTimeout(() => stop.abort(), 500)
        const r = await running
        // Before the 5 s after which the transport gives up waiting (sudo's own start takes a while when busy).
        expect(Date.now() - t0).to.be.below(5000)
        expect(r.code).to.equal(null)
        expect(r.stdout.toString()).to.equal('started\n')
        expect(r.stderr.toString(), 'the pid report is not part of the output').to.equal('')
        const left = await conn.exec({ script: 'grep -l "31[.]7" /proc/[0-9]*/cmdline 2>/dev/null | wc -l', become })
        expect(left.stdout.toString().trim(), 'no sleep left').to.equal('0')
      })
    }

    it('runs a batch of steps in one exec and splits the results per step', async () => {
      const conn = await connect('ssh2', 'nopass')
      const batch = buildBatch([
        { script: 'printf "%s" "$(id -un)"; ks_changed wrote a file', env: { GREETING: 'it\'s me' } },
        { script: 'echo "$GREETING" >&2; cat "$KS_P0"', payloads: ['payload text'], env: { GREETING: 'hello; rm -rf /' } },
        { script: 'exit 4' },
        { script: 'echo never' },
      ], { check: false, diff: false })
      const before = conn.roundTrips
      const r = await conn.exec({ script: batch.script, become: { method: 'sudo', user: 'root' } })
      expect(conn.roundTrips - before).to.equal(1)
      const out = parseBatch(r.stdout.toString(), r.stderr.toString(), batch)
      expect(out.map((o) => o.rc)).to.deep.equal([0, 0, 4, null])
      expect(out[0]!.stdout).to.equal('root')
      expect(out[0]!.changes).to.deep.equal(['wrote a file'])
      expect(out[1]!.stdout).to.equal('payload text')
      expect(out[1]!.stderr).to.equal('hello; rm -rf /\n')
    })
  })

  describe('authentication', () => {
    it('logs in with a password when no key is given, and never echoes a wrong one', async () => {
      const c = shared.cluster
      const addr = { ...lightAddress(c, 'ssh1', 'deploy'), privateKeyFile: undefined }
      const conn = await connectSsh({ ...addr, password: DEPLOY_PASSWORD }, lightSshOptions(c))
      open.push(conn)
      expect((await conn.exec({ script: 'id -un' })).stdout.toString()).to.equal('deploy\n')
      const secret = 'not-the-Pa55word'
      const err = await rejection(connectSsh({ ...addr, password: secret }, lightSshOptions(c)))
      expect(err.retryable).to.equal(false)
      expect(err.message).to.include('ssh1').and.include('authentication as deploy')
      expect(err.message).not.to.include(secret)
    })

    it('uses keys held by ssh-agent', async () => {
      const c = shared.cluster
      const sock = join(scratch, 'agent.sock')
      const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' })
      try {
        for (let i = 0; i < 50; i++) {
          try { execFileSync('ssh-add', ['-q', c.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' }); break } catch {
            await new Promise((r) => setTimeout(r, 50))
          }
        }
        const conn = await connectSsh({ ...lightAddress(c, 'ssh2', 'nopass'), privateKeyFile: undefined },
          lightSshOptions(c, { agentSocket: sock }))
        open.push(conn)
        expect((await conn.exec({ script: 'id -un' })).stdout.toString()).to.equal('nopass\n')
      } finally {
        agent.kill()
      }
    })

    it('says which key file is missing', async () => {
      const c = shared.cluster
      const err = await rejection(connectSsh({ ...lightAddress(c, 'ssh1'), privateKeyFile: join(scratch, 'nope') }, lightSshOptions(c)))
      expect(err.message).to.include(join(scratch, 'nope')).and.include('ansible_ssh_private_key_file')
    })
  })

  describe('host keys', () => {
    function hostKeyFingerprint(host: string): string {
      const pub = join(shared.cluster.host(host).root, 'etc/ssh/ssh_host_ed25519_key.pub')
      return execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1]!
    }

    it('refuses an unknown host key, naming host, fingerprint and what to do', async () => {
      const c = shared.cluster
      const empty = join(scratch, 'empty_known_hosts')
      writeFileSync(empty, '')
      const err = await rejection(connectSsh(lightAddress(c, 'ssh1'), lightSshOptions(c, { knownHostsFiles: [empty] })))
      expect(err.retryable).to.equal(false)
      expect(err.message).to.include('ssh1').and.include(c.host('ssh1').address)
      expect(err.message).to.include(hostKeyFingerprint('ssh1'))
      expect(err.message).to.include('--accept-new-host-keys').and.include(empty)
      expect(readFileSync(empty, 'utf8')).to.equal('')
    })

    it('accepts and records a new host key when asked, then knows it', async () => {
      const c = shared.cluster
      const file = join(scratch, 'accept_known_hosts')
      writeFileSync(file, '# kept\n')
      const conn = await connectSsh(lightAddress(c, 'ssh2'), lightSshOptions(c, { knownHostsFiles: [file], acceptNewHostKeys: true }))
      open.push(conn)
      const text = readFileSync(file, 'utf8')
      expect(text.startsWith('# kept\n')).to.equal(true)
      const recorded = execFileSync('ssh-keygen', ['-F', c.host('ssh2').address, '-f', file], { encoding: 'utf8' })
      expect(recorded).to.include('ssh-ed25519')
      const again = await connectSsh(lightAddress(c, 'ssh2'), lightSshOptions(c, { knownHostsFiles: [file] }))
      open.push(again)
      expect((await again.exec({ script: 'hostname' })).stdout.toString()).to.equal('ssh2\n')
    })

    it('refuses a changed host key, even when accepting new keys, naming host, file and line', async () => {
      const c = shared.cluster
      await c.rotateHostKey('ssh4')
      const err = await rejection(connectSsh(lightAddress(c, 'ssh4'), lightSshOptions(c, { acceptNewHostKeys: true })))
      expect(err.retryable).to.equal(false)
      expect(err.message).to.include('ssh4').and.include('CHANGED')
      expect(err.message).to.include(`${c.knownHostsFile}:4`)
      expect(err.message).to.include(hostKeyFingerprint('ssh4'))
      expect(err.message).to.match(/remove line 4/)
    })
  })

  describe('failures and recovery', () => {
    it('gives up on a host whose sshd is down with a retryable error, in bounded time', async () => {
      const c = shared.cluster
      await c.stopSshd('ssh5')
      try {
        const t0 = Date.now()
        const err = await rejection(connectSsh(lightAddress(c, 'ssh5'), lightSshOptions(c, { connectRetries: 2, retryDelayMs: 100 })))
        const took = Date.now() - t0
        expect(err.retryable).to.equal(true)
        expect(err.message).to.include('ssh5').and.include('connection refused').and.include('after 3 attempts')
        expect(took).to.be.within(200, 3000)
      } finally {
        await c.startSshd('ssh5')
      }
    })

    it('re-opens a dropped connection for the next exec', async () => {
      const c = shared.cluster
      const conn = await connect('ssh5')
      expect((await conn.exec({ script: 'echo one' })).stdout.toString()).to.equal('one\n')
      await c.stopSshd('ssh5')
      await c.startSshd('ssh5')
      const r = await conn.exec({ script: 'echo two' })
      expect(r.stdout.toString()).to.equal('two\n')
      expect(conn.sessionsOpened).to.equal(2)
      expect(conn.roundTrips).to.equal(2)
    })

    it('does not re-run a script whose connection dropped while it ran', async () => {
      const c = shared.cluster
      const conn = await connect('ssh5')
      await conn.exec({ script: 'rm -f /tmp/runs' })
      const running = rejection(conn.exec({ script: 'echo run >> /tmp/runs; sleep 30' }))
      await new Promise((r) => setTimeout(r, 500))
      await c.stopSshd('ssh5')
      const err = await running
      expect(err.message).to.include('ssh5').and.include('may have run partly')
      await c.startSshd('ssh5')
      const r = await conn.exec({ script: 'cat /tmp/runs' })
      expect(r.stdout.toString()).to.equal('run\n')
    })
  })

  describe('jump host', () => {
    it('reaches a node through a bastion, verifying both host keys', async () => {
      const c = shared.cluster
      const addr = { ...lightAddress(c, 'ssh3'), jump: lightAddress(c, 'ssh1', 'nopass') }
      const conn = await connectSsh(addr, lightSshOptions(c))
      open.push(conn)
      expect((await conn.exec({ script: 'hostname' })).stdout.toString()).to.equal('ssh3\n')

      const only3 = join(scratch, 'only_node_known_hosts')
      writeFileSync(only3, readFileSync(c.knownHostsFile, 'utf8').split('\n').filter((l) => l.startsWith(`${c.host('ssh3').address} `)).join('\n'))
      const err = await rejection(connectSsh(addr, lightSshOptions(c, { knownHostsFiles: [only3] })))
      expect(err.message).to.include('jump host ssh1').and.include('not known')
    })

    it('goes through the bastion: with the bastion down the node is unreachable', async () => {
      const c = shared.cluster
      const addr = { ...lightAddress(c, 'ssh3'), jump: lightAddress(c, 'ssh2') }
      const conn = await connectSsh(addr, lightSshOptions(c, { connectRetries: 0 }))
      open.push(conn)
      await c.stopSshd('ssh2')
      try {
        const err = await rejection(conn.exec({ script: 'hostname' }))
        expect(err.message).to.include('ssh3').and.include('jump host ssh2')
      } finally {
        await c.startSshd('ssh2')
      }
      expect((await conn.exec({ script: 'hostname' })).stdout.toString()).to.equal('ssh3\n')
    })
  })

  describe('handshakes per sshd', () => {
    // ssh5: ssh4's host key is rotated by the host-key tests above.
    it('stay under MaxStartups: 30 connections to one sshd that refuses an 11th unauthenticated one all open at the first attempt; a lower MaxStartups gets a clear error', async () => {
      const c = shared.cluster
      const config = join(c.host('ssh5').root, 'etc/ssh/sshd_config')
      const before = readFileSync(config, 'utf8')
      writeFileSync(config, `${before}\nMaxStartups 10:100:10\n`)
      await c.stopSshd('ssh5')
      await c.startSshd('ssh5')
      try {
        const retried: string[] = []
        const conns = await Promise.all(Array.from({ length: 30 }, () =>
          connectSsh(lightAddress(c, 'ssh5'), lightSshOptions(c, { connectRetries: 0, log: (l) => retried.push(l) }))))
        open.push(...conns)
        expect(retried).to.deep.equal([])
        const names = await Promise.all(conns.map(async (conn) => (await conn.exec({ script: 'hostname' })).stdout.toString()))
        expect(new Set(names)).to.deep.equal(new Set(['ssh5\n']))
        await Promise.all(open.splice(0).map((conn) => conn.close()))

        // An sshd whose MaxStartups is below kubeseed's pace: the error says so, with the number.
        writeFileSync(config, `${before}\nMaxStartups 2:100:2\n`)
        await c.stopSshd('ssh5')
        await c.startSshd('ssh5')
        const tries = await Promise.allSettled(Array.from({ length: 8 }, () => connectSsh(lightAddress(c, 'ssh5'), lightSshOptions(c, { connectRetries: 0 }))))
        for (const t of tries) if (t.status === 'fulfilled') open.push(t.value)
        const refused = tries.filter((t): t is PromiseRejectedResult => t.status === 'rejected').map((t) => (t.reason as Error).message)
        expect(refused.length).to.be.greaterThan(0)
        expect(refused[0]).to.match(/sshd closed the connection during the handshake while \d+ handshakes to it were in flight/).and.include('MaxStartups')
      } finally {
        writeFileSync(config, before)
        await c.stopSshd('ssh5')
        await c.startSshd('ssh5')
      }
    })
  })
})
