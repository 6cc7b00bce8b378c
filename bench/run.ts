// `npm run bench`: kubeseed against ansible-playbook on the same light hosts (sshd in namespaces on
// loopback addresses), first run (all changes) and second run (no changes), plus the connection floor
// (N parallel `ssh HOST true`). Wall time, CPU and peak memory from /usr/bin/time; results go to
// bench/README.md between the RESULTS markers. A benchmark, never a test.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../src/engine/paths.js'
import { shellJoin } from '../src/engine/quote.js'
import { startLightHosts, type LightCluster } from '../src/sandbox/light.js'
import { TASKS_PER_HOST, writeWorkload, type Workload } from './workload.js'

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

function kubeseedChanged(m: Measure): number {
  const recap = JSON.parse(m.stdout.trim().split('\n').pop()!) as { hosts: Record<string, { changed: number; failed: number }> }
  if (Object.values(recap.hosts).some((h) => h.failed)) throw new Error(`kubeseed run failed:\n${m.stdout.slice(-3000)}`)
  return Object.values(recap.hosts).reduce((n, h) => n + h.changed, 0)
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

interface Row { hosts: number; tool: string; run: string; m: Measure; changed: number }

async function benchAt(n: number, w: Workload, withAnsible: boolean, log: (l: string) => void): Promise<Row[]> {
  log(`starting ${n} light hosts`)
  const c = await startLightHosts({ count: n, name: `b${n}h` })
  const rows: Row[] = []
  try {
    const inv = c.inventoryFile
    const ks = (pb: string) => timed(process.execPath, [CLI, 'play', pb, '-i', inv, '--output', 'json', '--forks', '50'])
    const floor = await sshFloor(c)
    rows.push({ hosts: n, tool: `ssh true x${n}`, run: 'floor', m: floor, changed: 0 })
    log(`  floor ${floor.wall.toFixed(2)} s`)
    for (const run of ['first', 'second']) {
      const m = await ks(w.kubeseed)
      rows.push({ hosts: n, tool: 'kubeseed', run, m, changed: kubeseedChanged(m) })
      log(`  kubeseed ${run}: ${m.wall.toFixed(2)} s, changed ${rows.at(-1)!.changed}`)
    }
    if (withAnsible) {
      const cleanup = await ks(w.cleanup)
      if (cleanup.code !== 0) throw new Error(`cleanup failed: ${cleanup.stdout.slice(-2000)}`)
      const env = {
        ANSIBLE_PIPELINING: 'True',
        ANSIBLE_FORKS: '50',
        ANSIBLE_HOST_KEY_CHECKING: 'True',
        ANSIBLE_SSH_ARGS: `-o ControlMaster=auto -o ControlPersist=600s -o IdentitiesOnly=yes -o UserKnownHostsFile=${c.knownHostsFile}`,
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_LOCALHOST_WARNING: 'False',
        ANSIBLE_NOCOLOR: '1',
        HOME: mkdtempSync(join(tmpdir(), 'ks-bench-ansible-home-')),
      }
      for (const run of ['first', 'second']) {
        const m = await timed('ansible-playbook', ['-i', inv, '-f', '50', w.ansible], env)
        rows.push({ hosts: n, tool: 'ansible-playbook', run, m, changed: ansibleChanged(m) })
        log(`  ansible ${run}: ${m.wall.toFixed(2)} s, changed ${rows.at(-1)!.changed}`)
      }
    }
  } finally {
    await c.stop()
  }
  return rows
}

function table(rows: Row[]): string {
  const lines = ['| hosts | tool | run | wall s | CPU s | peak RSS MB | changed |', '|---:|---|---|---:|---:|---:|---:|']
  for (const r of rows) {
    lines.push(`| ${r.hosts} | ${r.tool} | ${r.run} | ${r.m.wall.toFixed(2)} | ${r.m.cpu.toFixed(2)} | ${r.m.maxRssMb ? r.m.maxRssMb.toFixed(0) : '-'} | ${r.run === 'floor' ? '-' : r.changed} |`)
  }
  const ratios: string[] = []
  for (const n of [...new Set(rows.map((r) => r.hosts))]) {
    const get = (tool: string, run: string) => rows.find((r) => r.hosts === n && r.tool.startsWith(tool) && r.run === run)
    const floor = get('ssh true', 'floor')
    for (const run of ['first', 'second']) {
      const k = get('kubeseed', run)
      const a = get('ansible-playbook', run)
      if (k && a) ratios.push(`- ${n} hosts, ${run} run: ansible-playbook / kubeseed wall time = **${(a.m.wall / k.m.wall).toFixed(1)}x**, CPU = ${(a.m.cpu / k.m.cpu).toFixed(1)}x`)
      if (k && floor) ratios.push(`- ${n} hosts, ${run} run: kubeseed / connection floor (${n} parallel ssh true) = ${(k.m.wall / floor.m.wall).toFixed(2)}x`)
    }
  }
  return `${lines.join('\n')}\n\n${ratios.join('\n')}\n`
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const sizes = (args.find((a) => a.startsWith('--hosts='))?.slice(8) ?? '20,50').split(',').map(Number)
  const withAnsible = !args.includes('--no-ansible')
  if (!existsSync(CLI)) throw new Error('build first: npm run build')
  const w = writeWorkload(mkdtempSync(join(tmpdir(), 'ks-bench-')))
  const log = (l: string) => process.stderr.write(`${l}\n`)
  const rows: Row[] = []
  for (const n of sizes) rows.push(...await benchAt(n, w, withAnsible, log))
  for (const r of rows) {
    const want = r.run === 'first' ? r.hosts * TASKS_PER_HOST : 0
    if (r.run !== 'floor' && r.changed !== want) throw new Error(`${r.tool} ${r.run} run on ${r.hosts} hosts changed ${r.changed}, expected ${want}`)
  }
  const result = `Measured ${new Date().toISOString().slice(0, 10)} on one machine (${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}), ` +
    `${TASKS_PER_HOST} tasks per host, forks 50, in one run of \`npm run bench\`.\n\n${table(rows)}`
  process.stdout.write(result)
  const readme = join(PACKAGE_ROOT, 'bench', 'README.md')
  const text = readFileSync(readme, 'utf8')
  const start = '<!-- RESULTS:START -->'
  const end = '<!-- RESULTS:END -->'
  if (text.includes(start) && text.includes(end) && !args.includes('--no-write')) {
    writeFileSync(readme, `${text.slice(0, text.indexOf(start) + start.length)}\n${result}${text.slice(text.indexOf(end))}`)
  }
}

main().catch((e) => { process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`); process.exitCode = 1 })
