// Security, proven on a whole install: the cluster playbook (air-gapped; 2 control planes, so the second one
// joins with the certificate key, and a worker) plus a fixture role handling a password under no_log, run at
// -vv --diff --output json. While it runs, every process's command line on the machine (so on every node, each
// in its own PID namespace) is sampled with ps, and the private key and kubeconfig files on the nodes and the
// bastion are watched as they appear. Afterwards the actual secrets are read from where they ended up (bootstrap
// tokens, the certificate key, every private key, client-key-data, the passwords) and searched for in every
// byte of the run's output, every file kubeseed wrote on the bastion outside the inventory's intended secret
// stores, the nodes' temporary directories, and every command line sampled.

import { expect } from 'chai'
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, watch, type FSWatcher } from 'node:fs'
import { basename, join, relative } from 'node:path'
import { promisify } from 'node:util'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { nodePaths } from '../../../src/sandbox/state.js'
import { CLI } from '../../harness/cli.js'
import { teardownAirgap, writeAirgapInventory } from '../../harness/airgap-suite.js'

const NAME = 'tr'
const SUBNET = '10.231.20.0/24'
const SITE = join(PACKAGE_ROOT, 'test/fixtures/security/site.yaml')
const SAMPLE_MS = 200
/** No secret: the fixture shows it and puts it on a command line, so the search must find it where it looks. */
const CANARY = `canary-${randomBytes(9).toString('hex')}`

/** Directories on a node where kubeadm, kubeseed's roles and the fixture put keys, kubeconfigs and join documents. */
const SECRET_DIRS = ['etc/kubernetes', 'etc/ssl/etcd', 'root/.kube', 'var/lib/kubelet/pki', 'etc/kubeseed-fixture']
/** A private key, a kubeconfig, a join document or the fixture's credentials, also under a temporary name. */
const SECRET_FILE = /\.key(\.|$)|-key\.pem|(^|\.)(admin|super-admin|kubelet|controller-manager|scheduler)\.conf|(^|\.)config(\.|$)|kubelet-client[^/]*\.pem|kubelet\.pem|kubeadm-(client\.conf|controlplane\.yaml|config\.yaml)|credentials|app\.conf/

interface FileSighting { file: string; mode: number; uid: number }

/** Watches directories (re-armed as they appear) and stats every private key or kubeconfig the moment it shows. */
class ModeWatch {
  readonly violations: FileSighting[] = []
  readonly seen = new Set<string>()
  sightings = 0
  private readonly watchers = new Map<string, FSWatcher>()
  constructor(private readonly roots: string[]) {}

  check(file: string): void {
    if (!SECRET_FILE.test(basename(file))) return
    let st
    try { st = lstatSync(file) } catch { return }
    if (!st.isFile()) return
    this.sightings++
    this.seen.add(file)
    if ((st.mode & 0o077) !== 0 || st.uid !== 0) this.violations.push({ file, mode: st.mode & 0o7777, uid: st.uid })
  }

  /** One polling pass: walk every root, arm a watcher on each new directory, stat every file. */
  scan(): void {
    for (const root of this.roots) this.walk(root)
  }

  private walk(dir: string): void {
    let entries
    try { entries = readdirSync(dir, { withFileTypes: true }) } catch { return }
    if (!this.watchers.has(dir)) {
      try {
        const w = watch(dir, (_event, name) => { if (name) this.check(join(dir, name.toString())) })
        w.on('error', () => w.close())
        this.watchers.set(dir, w)
      } catch { /* gone again */ }
    }
    for (const e of entries) {
      if (e.isDirectory()) this.walk(join(dir, e.name))
      else this.check(join(dir, e.name))
    }
  }

  close(): void {
    for (const w of this.watchers.values()) w.close()
  }
}

/** ps of every process on the machine, with its PID namespace, every SAMPLE_MS while the run lasts. */
class PsSampler {
  snapshots = 0
  bytes = 0
  readonly lines = new Set<string>()
  private running = true
  private done: Promise<void> = Promise.resolve()

  start(): void {
    this.done = (async () => {
      while (this.running) {
        const t0 = Date.now()
        const { stdout } = await promisify(execFile)('ps', ['-eo', 'pidns=,args=', '-ww'], { maxBuffer: 256 * 1024 * 1024 })
        this.snapshots++
        this.bytes += Buffer.byteLength(stdout)
        for (const l of stdout.split('\n')) if (l) this.lines.add(l.trim())
        await new Promise((r) => setTimeout(r, Math.max(0, SAMPLE_MS - (Date.now() - t0))))
      }
    })()
  }

  async stop(): Promise<void> {
    this.running = false
    await this.done
  }
}

/** Every file under DIR, except those SKIP names (the secret stores the run was asked to write). */
function filesUnder(dir: string, skip: (f: string) => boolean): string[] {
  if (!existsSync(dir)) return []
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const f = join(e.parentPath, e.name)
    if (e.isFile() && !skip(f)) out.push(f)
  }
  return out
}

/** The base64 body lines of every PEM private key in TEXT: a leak of any part of a key shows as one of them. */
function pemKeyLines(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----([\s\S]*?)-----END [A-Z ]*PRIVATE KEY-----/g)) {
    out.push(...m[1]!.split('\n').map((l) => l.trim()).filter((l) => l.length >= 40))
  }
  return out
}

describe('security: a whole install leaks no secret and writes no key or kubeconfig readable by others', function () {
  this.timeout(15 * 60_000)
  let work: string
  let env: AirgapSandbox | undefined
  let up: SandboxUpResult
  let inventory: string
  let passwordFile: string
  let run: { code: number | null; stdout: Buffer; stderr: Buffer; seconds: number }
  const ps = new PsSampler()
  let modes: ModeWatch
  const nodePidns = new Map<string, string>()

  const nodes = () => up.state.nodes.map((n) => n.name)
  const nodeRoot = (node: string) => nodePaths(up.state.stateDir, node).root
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }

  before(async function () {
    this.timeout(15 * 60_000)
    const t0 = Date.now()
    work = mkdtempSync('/var/tmp/kubeseed-security-')
    env = await airgapSandbox({ name: NAME, nodes: 3, controlPlanes: 2, etcd: 1, subnet: SUBNET, httpPort: 0 })
    up = env.sandbox
    inventory = writeAirgapInventory(env, work, ['kubeconfig_localhost: true'])
    passwordFile = join(work, 'secret-store', 'fixture-password')
    for (const n of nodes()) nodePidns.set(n, (await sh(n, 'readlink /proc/1/ns/pid')).trim().replace(/^pid:\[(\d+)\]$/, '$1'))
    const setup = (Date.now() - t0) / 1000

    // The run's own home, cache and temporary directory: everything kubeseed writes on the bastion is under WORK.
    for (const d of ['home', 'cache', 'tmp']) mkdirSync(join(work, d))
    modes = new ModeWatch([...nodes().flatMap((n) => SECRET_DIRS.map((d) => join(nodeRoot(n), d))), join(inventory, 'artifacts')])
    const poll = setInterval(() => modes.scan(), SAMPLE_MS)
    ps.start()
    const t1 = Date.now()
    const child = spawn(process.execPath, [CLI, 'play', SITE, '-i', join(inventory, 'hosts.yaml'), '--known-hosts', up.knownHosts,
      '-vv', '--diff', '--output', 'json', '-e', `fixture_password_file=${passwordFile}`, '-e', `fixture_canary=${CANARY}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, HOME: join(work, 'home'), XDG_CACHE_HOME: join(work, 'cache'), TMPDIR: join(work, 'tmp') },
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    const code = await new Promise<number | null>((resolve, reject) => { child.once('error', reject); child.once('close', resolve) })
    clearInterval(poll)
    await ps.stop()
    modes.scan()
    modes.close()
    run = { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err), seconds: (Date.now() - t1) / 1000 }
    process.stdout.write(`      sandbox and mirror: ${setup.toFixed(1)} s; install at -vv --diff --output json: ${run.seconds.toFixed(1)} s\n`)
  })

  after(async function () {
    this.timeout(2 * 60_000)
    await ps.stop()
    modes?.close()
    await teardownAirgap(env, NAME, work)
  })

  it('the install with the no_log role and a sudo password succeeds, and its NDJSON is whole', () => {
    const lines = run.stdout.toString('utf8').split('\n').filter(Boolean)
    const events = lines.map((l) => JSON.parse(l) as { type: string; hosts?: Record<string, { failed: number }> })
    const recap = events.at(-1)!
    expect(run.code, run.stderr.toString('utf8').slice(-3000)).to.equal(0)
    expect(recap.type).to.equal('recap')
    for (const n of nodes()) expect(recap.hosts![n]!.failed, n).to.equal(0)
  })

  it('no secret in stdout, stderr, NDJSON, -vv, --diff, files written on the bastion, node temp dirs, or any command line', async () => {
    const secrets = new Map<string, string>()
    const add = (label: string, value: string | undefined) => { if (value && value.length >= 12) secrets.set(value, label) }
    const cp = up.state.controlPlanes
    // Bootstrap tokens as the cluster stores them (kube-system Secrets in the API server's store).
    const store = JSON.parse(readFileSync(join(nodeRoot(cp[0]!), 'var/lib/kube-apiserver-emulator/state.json'), 'utf8')) as { objects: Array<[string, { type?: string; data?: Record<string, string> }]> }
    const tokens = store.objects.map(([, o]) => o).filter((o) => o.type === 'bootstrap.kubernetes.io/token')
    for (const t of tokens) {
      const id = Buffer.from(t.data!['token-id']!, 'base64').toString()
      const secret = Buffer.from(t.data!['token-secret']!, 'base64').toString()
      add('bootstrap token secret', secret)
      add('bootstrap token', `${id}.${secret}`)
    }
    // The values each joining node used: its token, and the second control plane's certificate key.
    let certificateKeys = 0
    for (const n of nodes().filter((x) => x !== cp[0])) {
      const file = cp.includes(n) ? 'etc/kubernetes/kubeadm-controlplane.yaml' : 'etc/kubernetes/kubeadm-client.conf'
      const text = readFileSync(join(nodeRoot(n), file), 'utf8')
      for (const m of text.matchAll(/(token|certificateKey): "?([0-9a-z.]{16,})"?/g)) {
        add(`${n} ${m[1]}`, m[2])
        if (m[1] === 'certificateKey') certificateKeys++
      }
    }
    // Every private key and kubeconfig client key on every node, and the passwords.
    let keyFiles = 0
    for (const n of nodes()) {
      for (const d of SECRET_DIRS) {
        for (const f of filesUnder(join(nodeRoot(n), d), () => false)) {
          const text = readFileSync(f, 'utf8')
          const lines = pemKeyLines(text)
          for (const m of text.matchAll(/client-key-data: (\S+)/g)) lines.push(m[1]!, ...pemKeyLines(Buffer.from(m[1]!, 'base64').toString()))
          if (lines.length > 0) keyFiles++
          for (const l of lines) add(`${n}:/${relative(nodeRoot(n), f)}`, l)
        }
      }
    }
    add('fixture password (no_log)', readFileSync(passwordFile, 'utf8').trim())
    add('sudo password', up.state.deployPassword)

    expect(tokens.length, 'bootstrap tokens in the cluster').to.be.greaterThan(0)
    expect(certificateKeys, 'the second control plane joined with a certificate key').to.equal(1)
    expect(keyFiles, 'files holding private keys').to.be.greaterThan(20)

    // Where to look: the run's output, every file kubeseed wrote on the bastion except the secret stores it was
    // asked to fill (the password lookup's file, kubeconfig_localhost's admin.conf), the nodes' temporary
    // directories, and every command line sampled.
    const bastionFiles = filesUnder(work, (f) => f === passwordFile || f.startsWith(join(inventory, 'artifacts')) || f.startsWith(join(work, 'inventory', 'group_vars')))
    const haystacks: Array<{ where: string; text: string }> = [
      { where: 'stdout (NDJSON)', text: run.stdout.toString('latin1') },
      { where: 'stderr (-vv, --diff)', text: run.stderr.toString('latin1') },
      ...bastionFiles.map((f) => ({ where: f, text: readFileSync(f).toString('latin1') })),
      ...nodes().flatMap((n) => ['tmp', 'var/tmp'].flatMap((d) => filesUnder(join(nodeRoot(n), d), () => false)
        .map((f) => ({ where: `${n}:/${relative(nodeRoot(n), f)}`, text: readFileSync(f).toString('latin1') })))),
      { where: 'ps snapshots', text: [...ps.lines].join('\n') },
    ]
    const found: string[] = []
    for (const h of haystacks) for (const [value, label] of secrets) if (h.text.includes(value)) found.push(`${label} in ${h.where}`)
    const bytes = haystacks.reduce((s, h) => s + h.text.length, 0) - [...ps.lines].join('\n').length + ps.bytes
    process.stdout.write(`      ${secrets.size} secret values (${tokens.length} bootstrap tokens, ${certificateKeys} certificate key, ${keyFiles} key files, 2 passwords) ` +
      `searched in ${bytes} bytes: output ${run.stdout.length + run.stderr.length}, ${bastionFiles.length} bastion files, ps ${ps.bytes} in ${ps.snapshots} snapshots; found ${found.length}\n`)
    expect(found).to.deep.equal([])
    // The control: the same search finds the public value in the output and on a worker's command line.
    const worker = nodePidns.get(up.state.workers[0]!)!
    expect(Buffer.concat([run.stdout, run.stderr]).toString('utf8').includes(CANARY), 'the public value in the output').to.equal(true)
    expect([...ps.lines].some((l) => l.startsWith(`${worker} `) && l.includes(CANARY)), 'the public value on a worker\'s command line').to.equal(true)

    // The samples did see the nodes at work: each node's namespace, with kubeseed's own scripts among them.
    expect(ps.snapshots).to.be.greaterThan(100)
    for (const [n, ns] of nodePidns) {
      const mine = [...ps.lines].filter((l) => l.startsWith(`${ns} `))
      expect(mine.some((l) => /kubeadm (init|join)|kubectl|\/bin\/sh|bash/.test(l)), `${n}: no command line of the run sampled`).to.equal(true)
    }
  })

  it('private keys and kubeconfigs are 0600 and root-owned from the moment they appear (nodes and bastion)', () => {
    process.stdout.write(`      ${modes.seen.size} key and kubeconfig files watched, ${modes.sightings} sightings, ${modes.violations.length} readable by others\n`)
    expect([...new Set(modes.violations.map((v) => `${v.file}: mode ${v.mode.toString(8)} uid ${v.uid}`))]).to.deep.equal([])
    const cp1 = nodeRoot(up.state.controlPlanes[0]!)
    for (const f of ['etc/kubernetes/admin.conf', 'etc/kubernetes/ssl/ca.key', 'etc/kubernetes/ssl/sa.key', 'root/.kube/config']) {
      expect(modes.seen.has(join(cp1, f)), f).to.equal(true)
    }
    expect(modes.seen.has(join(inventory, 'artifacts', 'admin.conf')), 'artifacts/admin.conf').to.equal(true)
    expect([...modes.seen].some((f) => f.includes('/etc/ssl/etcd/') && f.endsWith('-key.pem')), 'etcd keys').to.equal(true)
  })
})
