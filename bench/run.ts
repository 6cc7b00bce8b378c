// `npm run bench`: kubeseed against ansible-playbook on the same light hosts (sshd in namespaces on
// loopback addresses), for each host count, workload and fact-gathering mode: first run (all changes) and
// second run (no changes), plus the connection floor (N parallel `ssh HOST true`). Wall time, CPU and peak
// memory from /usr/bin/time, round trips from kubeseed's recap; results go to bench/README.md between the
// RESULTS markers. A benchmark, never a test.

import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../src/engine/paths.js'
import { shellJoin } from '../src/engine/quote.js'
import { startLightHosts, type LightCluster } from '../src/sandbox/light.js'
import { CHANGED_FIRST_RUN, writeWorkload, type Gather, type Workload, type WorkloadName } from './workload.js'

interface Measure {
  wall: number
  cpu: number
  maxRssMb: number
  code: number
  stdout: string
  stderr: string
}

const CLI = join(PACKAGE_ROOT, 'dist', 'src', 'cli.js')

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measure> {
  const fmtFile = join(mkdtempSync(join(tmpdir(), 'ks-bench-time-')), 'time')
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-o', fmtFile, '-f', '%e %U %S %M', cmd, ...args], { env: { ...process.env, ...env } })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const [wall, user, sys, rss] = readFileSync(fmtFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
      resolve({ wall, cpu: user + sys, maxRssMb: rss / 1024, code: code ?? -1, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() })
    })
  })
}

/** Changed tasks and round trips per host from kubeseed's NDJSON recap. */
function kubeseedRecap(m: Measure): { changed: number; roundTrips: number } {
  const recap = JSON.parse(m.stdout.trim().split('\n').pop()!) as { hosts: Record<string, { changed: number; failed: number; unreachable: boolean; round_trips: number }> }
  const hosts = Object.values(recap.hosts)
  if (m.code !== 0 || hosts.some((h) => h.failed || h.unreachable)) throw new Error(`kubeseed run failed:\n${m.stdout.slice(-3000)}\n${m.stderr.slice(-2000)}`)
  return { changed: hosts.reduce((n, h) => n + h.changed, 0), roundTrips: Math.max(...hosts.map((h) => h.round_trips)) }
}

function ansibleChanged(m: Measure): number {
  let total = 0
  for (const line of m.stdout.split('\n')) {
    const c = line.match(/^\S+\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)/)
    if (!c) continue
    if (Number(c[2]) || Number(c[3])) throw new Error(`ansible-playbook run failed:\n${m.stdout.slice(-3000)}`)
    total += Number(c[1])
  }
  return total
}

async function sshFloor(c: LightCluster): Promise<Measure> {
  const ssh = (addr: string) => shellJoin(['ssh', '-F', '/dev/null', '-i', c.keyFile, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${c.knownHostsFile}`, `root@${addr}`, 'true'])
  const script = `pids=''\n${c.hosts.map((h) => `${ssh(h.address)} & pids="$pids $!"`).join('\n')}\nfail=0; for p in $pids; do wait "$p" || fail=1; done; exit $fail\n`
  const m = await timed('/bin/sh', ['-c', script])
  if (m.code !== 0) throw new Error(`ssh true failed on some host: ${m.stderr}`)
  return m
}

interface Row {
  hosts: number
  workload: WorkloadName
  gather: Gather | '-'
  tool: string
  run: string
  m: Measure
  changed: number
  /** Round trips of the busiest host (kubeseed only). */
  roundTrips?: number
  /** Date of the run this figure was kept from, when it is not from this run. */
  kept?: string
}

interface Settings {
  sizes: number[]
  workloads: WorkloadName[]
  gathers: Gather[]
  forks?: number
  ansibleSizes: number[]
  keepAnsible: boolean
}

const KEPT_FILE = join(PACKAGE_ROOT, 'bench', 'ansible-kept.json')

/** Ansible figures kept from an earlier run (large host counts take it tens of minutes). */
function keptAnsible(): Row[] {
  return existsSync(KEPT_FILE) ? (JSON.parse(readFileSync(KEPT_FILE, 'utf8')) as Row[]) : []
}

/**
 * kubeseed's own default. More hosts in flight only queue on the CPU: on 2 shared cores, 200 handshakes at
 * once all ran past the 10 s connect timeout, where 20 at a time reached all 200 hosts.
 */
const DEFAULT_FORKS = 50

function openFilesLimit(): number {
  const r = spawnSync('/bin/sh', ['-c', 'ulimit -n'], { encoding: 'utf8' })
  const n = Number(r.stdout.trim())
  return Number.isFinite(n) ? n : 1024
}

/**
 * Hosts in flight at once: kubeseed's default of 50, fewer when the open files do not allow it. Each host in flight costs the controller one socket (kubeseed) or an ssh process
 * with its pipes and control socket (Ansible, about 8 descriptors); the light hosts' sshd are this process's
 * children (3 pipes each). Every tool opens one connection per host, so a host's sshd MaxStartups (10
 * unauthenticated connections by default) is not what limits: the descriptors are. A --forks above what they
 * allow stops here with the numbers, rather than hanging on EMFILE mid-run.
 */
function forksFor(hosts: number, asked: number | undefined): number {
  const limit = openFilesLimit()
  const spare = limit - 3 * hosts - 64
  const allowed = Math.floor(spare / 8)
  if (allowed < 1) throw new Error(`${hosts} light hosts need about ${3 * hosts + 72} open files and the limit is ${limit}: raise it (ulimit -n) or use fewer --hosts`)
  if (asked !== undefined && asked > allowed) throw new Error(`--forks ${asked} with ${hosts} hosts needs about ${3 * hosts + 64 + 8 * asked} open files and the limit is ${limit}: raise it (ulimit -n) or use --forks ${allowed} or less`)
  return asked ?? Math.min(hosts, DEFAULT_FORKS, allowed)
}

async function benchAt(n: number, dir: string, s: Settings, log: (l: string) => void): Promise<Row[]> {
  const forks = forksFor(n, s.forks)
  log(`starting ${n} light hosts (forks ${forks})`)
  const t0 = Date.now()
  const c = await startLightHosts({ count: n, name: `b${n}h` })
  log(`  ${n} light hosts up in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
  const rows: Row[] = []
  try {
    const inv = c.inventoryFile
    const ks = (pb: string) => timed(process.execPath, [CLI, 'play', pb, '-i', inv, '--output', 'json', '--forks', String(forks)])
    const floor = await sshFloor(c)
    rows.push({ hosts: n, workload: 'files', gather: '-', tool: `ssh true x${n}`, run: 'floor', m: floor, changed: 0 })
    log(`  floor ${floor.wall.toFixed(2)} s`)
    for (const name of s.workloads) {
      for (const gather of s.gathers) {
        const w = writeWorkload(dir, name, gather)
        const cleanup = await ks(w.cleanup)
        if (cleanup.code !== 0) throw new Error(`cleanup failed: ${cleanup.stdout.slice(-2000)}`)
        for (const run of ['first', 'second']) {
          const m = await ks(w.kubeseed)
          const r = kubeseedRecap(m)
          rows.push(checkChanges({ hosts: n, workload: name, gather, tool: 'kubeseed', run, m, changed: r.changed, roundTrips: r.roundTrips }))
          log(`  ${name}/${gather} kubeseed ${run}: ${m.wall.toFixed(2)} s, CPU ${m.cpu.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB, changed ${r.changed}, ${r.roundTrips} round trips`)
        }
        if (s.ansibleSizes.includes(n)) rows.push(...await ansibleRuns(n, w, c, forks, ks, log))
      }
    }
  } finally {
    await c.stop()
  }
  return rows
}

async function ansibleRuns(n: number, w: Workload, c: LightCluster, forks: number, ks: (pb: string) => Promise<Measure>, log: (l: string) => void): Promise<Row[]> {
  const rows: Row[] = []
  const cleanup = await ks(w.cleanup)
  if (cleanup.code !== 0) throw new Error(`cleanup failed: ${cleanup.stdout.slice(-2000)}`)
  const env = {
    ANSIBLE_PIPELINING: 'True',
    ANSIBLE_FORKS: String(forks),
    ANSIBLE_HOST_KEY_CHECKING: 'True',
    ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=600s -o IdentitiesOnly=yes -o UserKnownHostsFile=${c.knownHostsFile}`,
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_LOCALHOST_WARNING: 'False',
    ANSIBLE_NOCOLOR: '1',
    HOME: mkdtempSync(join(tmpdir(), 'ks-bench-ansible-home-')),
  }
  for (const run of ['first', 'second']) {
    const m = await timed('ansible-playbook', ['-i', c.inventoryFile, '-f', String(forks), w.ansible], env)
    rows.push(checkChanges({ hosts: n, workload: w.name, gather: w.gather, tool: 'ansible-playbook', run, m, changed: ansibleChanged(m) }))
    log(`  ${w.name}/${w.gather} ansible ${run}: ${m.wall.toFixed(2)} s, CPU ${m.cpu.toFixed(2)} s, ${m.maxRssMb.toFixed(0)} MB, changed ${rows.at(-1)!.changed}`)
  }
  return rows
}

const TOOLS_CHANGED: Record<string, 'kubeseed' | 'ansible'> = { kubeseed: 'kubeseed', 'ansible-playbook': 'ansible' }

/** A tool that skipped work cannot win: first runs change what the workload says, second runs nothing. Checked as
 * each run ends, so a wrong count stops the benchmark before its long runs. */
function checkChanges(r: Row): Row {
  const want = r.run === 'first' ? r.hosts * CHANGED_FIRST_RUN[r.workload][TOOLS_CHANGED[r.tool]!] : 0
  if (r.changed !== want) throw new Error(`${r.tool} ${r.workload}/${r.gather} ${r.run} run on ${r.hosts} hosts changed ${r.changed}, expected ${want}`)
  return r
}

function table(rows: Row[]): string {
  const lines = [
    '| hosts | workload | facts | tool | run | wall s | CPU s | peak RSS MB | round trips / host | x floor | changed |',
    '|---:|---|---|---|---|---:|---:|---:|---:|---:|---:|',
  ]
  for (const r of rows) {
    const floor = rows.find((f) => f.hosts === r.hosts && f.run === 'floor')
    const ratio = floor && r.run !== 'floor' && !r.kept ? (r.m.wall / floor.m.wall).toFixed(2) : '-'
    const tool = r.kept ? `${r.tool} (kept from ${r.kept})` : r.tool
    lines.push(`| ${r.hosts} | ${r.run === 'floor' ? '-' : r.workload} | ${r.gather} | ${tool} | ${r.run} | ${r.m.wall.toFixed(2)} | ${r.m.cpu ? r.m.cpu.toFixed(2) : '-'} | ` +
      `${r.m.maxRssMb ? r.m.maxRssMb.toFixed(0) : '-'} | ${r.roundTrips ?? '-'} | ${ratio} | ${r.run === 'floor' ? '-' : r.changed} |`)
  }
  const ratios: string[] = []
  for (const r of rows.filter((x) => x.tool === 'ansible-playbook')) {
    const k = rows.find((x) => x.tool === 'kubeseed' && x.hosts === r.hosts && x.workload === r.workload && x.gather === r.gather && x.run === r.run)
    if (k) ratios.push(`- ${r.hosts} hosts, ${r.workload}, facts ${r.gather}, ${r.run} run: ansible-playbook / kubeseed wall = **${(r.m.wall / k.m.wall).toFixed(1)}x**${r.m.cpu ? `, CPU = ${(r.m.cpu / k.m.cpu).toFixed(1)}x` : ''}${r.kept ? ' (Ansible figure kept from an earlier run)' : ''}`)
  }
  return `${lines.join('\n')}\n\n${ratios.join('\n')}\n`
}

function settings(args: string[]): Settings {
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3)
  const nums = (v: string) => v.split(',').map(Number)
  const sizes = nums(opt('hosts') ?? '3,50,200,500')
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--hosts takes host counts, e.g. --hosts=3,50,200,500')
  const workloads = (opt('workloads') ?? 'files,role').split(',') as WorkloadName[]
  if (workloads.some((w) => !(w in CHANGED_FIRST_RUN))) throw new Error(`--workloads takes ${Object.keys(CHANGED_FIRST_RUN).join(', ')}`)
  const gathers = (opt('gather') ?? 'min,off').split(',') as Gather[]
  if (gathers.some((g) => g !== 'min' && g !== 'off')) throw new Error('--gather takes min, off or both (min,off)')
  const forks = opt('forks') === undefined ? undefined : Number(opt('forks'))
  if (forks !== undefined && (!Number.isInteger(forks) || forks < 1)) throw new Error('--forks takes a whole number of 1 or more')
  const ansibleSizes = args.includes('--no-ansible') ? [] : nums(opt('ansible-hosts') ?? sizes.filter((n) => n <= 50).join(','))
  return { sizes, workloads, gathers, forks, ansibleSizes, keepAnsible: args.includes('--keep-ansible') }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const s = settings(args)
  if (!existsSync(CLI)) throw new Error('build first: npm run build')
  const dir = mkdtempSync(join(tmpdir(), 'ks-bench-'))
  const log = (l: string) => process.stderr.write(`${l}\n`)
  const startedAt = new Date()
  const loadAtStart = loadavg()[0]!
  const date = startedAt.toISOString().slice(0, 10)
  const rows: Row[] = []
  for (const n of s.sizes) rows.push(...await benchAt(n, dir, s, log))
  const fresh = rows.filter((r) => r.tool === 'ansible-playbook' && r.hosts > 50)
  if (s.keepAnsible && fresh.length) {
    const others = keptAnsible().filter((k) => !fresh.some((f) => f.hosts === k.hosts && f.workload === k.workload && f.gather === k.gather && f.run === k.run))
    writeFileSync(KEPT_FILE, `${JSON.stringify([...others, ...fresh.map((f) => ({ ...f, m: { ...f.m, stdout: '', stderr: '' }, kept: date }))], null, 2)}\n`)
  }
  for (const k of keptAnsible()) {
    const here = s.sizes.includes(k.hosts) && s.workloads.includes(k.workload) && s.gathers.includes(k.gather as Gather)
    if (here && !rows.some((r) => r.tool === k.tool && r.hosts === k.hosts && r.workload === k.workload && r.gather === k.gather && r.run === k.run)) rows.push(k)
  }
  rows.sort((a, b) => a.hosts - b.hosts)
  const hhmm = (d: Date) => d.toISOString().slice(11, 16)
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PACKAGE_ROOT, encoding: 'utf8' }).stdout?.trim() || 'unknown'
  const result = `Measured ${date}, ${hhmm(startedAt)}–${hhmm(new Date())} UTC, at commit ${commit}, on one machine (${cpus().length} cores, ` +
    `${cpus()[0]?.model ?? 'unknown CPU'}; load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end), ` +
    `in one run of \`npm run bench -- ${args.join(' ')}\`.\n\n${table(rows)}`
  process.stdout.write(result)
  const readme = join(PACKAGE_ROOT, 'bench', 'README.md')
  const text = readFileSync(readme, 'utf8')
  const start = '<!-- RESULTS:START -->'
  const end = '<!-- RESULTS:END -->'
  if (text.includes(start) && text.includes(end) && !args.includes('--no-write')) {
    writeFileSync(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${result}${text.slice(text.indexOf(end))}`)
  }
}

// Interrupted, the light hosts still go: their cleanup runs on 'exit', which a signal's default action skips.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.on(signal, () => process.exit(code))
main().catch((e) => { process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1 })
