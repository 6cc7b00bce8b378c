// Runs the same module cases through real ansible-playbook and through kubeseed (local connection, each
// tool in its own temporary directory, each case in its own subdirectory), twice, and records per case and
// run: the task's status and the files it left (kind, content, mode, owner, link target).

import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunEvent } from '../../src/engine/report/events.js'
import { runPlaybook } from '../../src/engine/run/session.js'
import * as registry from '../../src/tasks/index.js'

/** A path to create before the first run: file content, or a file/dir/link with details. */
export type Entry = string | { content?: string; mode?: number; dir?: true; link?: string }

export interface ModuleCase {
  /** Unique, also the case's directory name: `module/what`. */
  id: string
  /** Where in Ansible's test suite (ansible-core stable-2.14, test/integration/targets/...) the case comes from. */
  from: string
  /** Paths under the case directory ("@D@" in link targets and args is that directory). */
  files?: Record<string, Entry>
  /** Files on the controller, for copy's `src` ("@S@" in args is their directory). */
  controller?: Record<string, Entry>
  /** `{ module: args }`; args may also hold loop, etc. at the top level via `extra`. */
  task: Record<string, unknown>
  /** Task keywords beside the module (loop, ...). */
  extra?: Record<string, unknown>
  check?: boolean
  /** Compare the registered `stat` dict too (its keys, and the values that do not depend on time or inode). */
  stat?: boolean
  /** A difference kubeseed keeps on purpose: the test checks it is still there, and says why. */
  differs?: string
}

export type Status = 'ok' | 'changed' | 'failed' | 'skipped'

export interface FileState {
  kind: 'file' | 'dir' | 'link' | 'other'
  mode?: string
  uid: number
  gid: number
  content?: string
  target?: string
}

export interface RunRecord {
  status: Status
  files: Record<string, FileState>
  stat?: Record<string, unknown>
}

export type Outcome = [RunRecord, RunRecord]

const STAT_VALUES = ['exists', 'isdir', 'isreg', 'islnk', 'lnk_source', 'lnk_target', 'mode', 'size', 'pw_name', 'gr_name', 'uid', 'gid', 'checksum']

function caseDir(root: string, c: ModuleCase): string {
  return join(root, c.id.replace(/[^A-Za-z0-9_.-]/g, '_'))
}

function fill(text: string, dir: string, srcDir: string): string {
  return text.split('@D@').join(dir).split('@S@').join(srcDir)
}

function substitute(v: unknown, dir: string, srcDir: string): unknown {
  if (typeof v === 'string') return fill(v, dir, srcDir)
  if (Array.isArray(v)) return v.map((x) => substitute(x, dir, srcDir))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x, dir, srcDir)]))
  return v
}

function create(base: string, entries: Record<string, Entry>, dir: string, srcDir: string): void {
  mkdirSync(base, { recursive: true })
  // Directories first, links last, so a link may point at anything the case makes.
  const order = (e: Entry) => (typeof e === 'object' && e.dir ? 0 : typeof e === 'object' && e.link !== undefined ? 2 : 1)
  for (const [rel, e] of Object.entries(entries).sort((a, b) => order(a[1]) - order(b[1]))) {
    const p = join(base, rel)
    mkdirSync(join(p, '..'), { recursive: true })
    if (typeof e === 'string') { writeFileSync(p, e); chmodSync(p, 0o644); continue }
    if (e.dir) { mkdirSync(p, { recursive: true }); chmodSync(p, e.mode ?? 0o755); continue }
    if (e.link !== undefined) { symlinkSync(fill(e.link, dir, srcDir), p); continue }
    writeFileSync(p, e.content ?? '')
    chmodSync(p, e.mode ?? 0o644)
  }
}

function snapshot(dir: string): Record<string, FileState> {
  const out: Record<string, FileState> = {}
  const walk = (abs: string, rel: string) => {
    const st = lstatSync(abs)
    const base = { uid: st.uid, gid: st.gid }
    if (st.isSymbolicLink()) out[rel] = { kind: 'link', ...base, target: readlinkSync(abs).split(dir).join('@D@') }
    else if (st.isDirectory()) {
      out[rel] = { kind: 'dir', mode: (st.mode & 0o7777).toString(8), ...base }
      for (const n of readdirSync(abs).sort()) walk(join(abs, n), rel === '.' ? n : `${rel}/${n}`)
    } else if (st.isFile()) {
      out[rel] = { kind: 'file', mode: (st.mode & 0o7777).toString(8), ...base, content: readFileSync(abs, 'utf8').split(dir).join('@D@') }
    } else out[rel] = { kind: 'other', ...base }
  }
  if (existsSync(dir)) walk(dir, '.')
  return out
}

function readStat(file: string, dir: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined
  let st: Record<string, unknown>
  try {
    st = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  } catch {
    return { unreadable: readFileSync(file, 'utf8') }
  }
  const out: Record<string, unknown> = { keys: Object.keys(st).sort().join(',') }
  for (const k of STAT_VALUES) if (k in st) out[k] = typeof st[k] === 'string' ? (st[k] as string).split(dir).join('@D@') : st[k]
  return out
}

/** One play per case: the task (registered, errors ignored), then for stat cases a dump of what it registered. */
function play(c: ModuleCase, dir: string, srcDir: string, statFile: string, record = false): Record<string, unknown> {
  const task: Record<string, unknown> = { name: 'case', ...(substitute(c.task, dir, srcDir) as object), ...(c.extra ?? {}), register: 'r', ignore_errors: true }
  if (c.check) task.check_mode = true
  const tasks: unknown[] = [task]
  if (record) tasks.push({ name: 'record', set_fact: { parity: `{{ parity | default({}) | combine({${JSON.stringify(c.id)}: ${STATUS}${c.stat ? " | combine({'stat': r.stat | default(none)})" : ''}}) }}` } })
  else if (c.stat) tasks.push({ name: 'dump', copy: { content: '{{ r.stat | to_json }}', dest: statFile }, ignore_errors: true })
  return { name: c.id, hosts: 'all', gather_facts: false, tasks }
}

// ansible-core has no machine-readable stdout callback of its own: each play records what it registered in
// a fact (on the controller, no module run), and a last play writes them all to one file.
const STATUS = "{'changed': r.changed | default(false), 'failed': r.failed | default(false), 'skipped': r.skipped | default(false)}"

const LANES = 4
const INVENTORY = 'ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n'

interface Tool {
  /** Runs every case once; returns the case task's status per case id. */
  run(cases: ModuleCase[], root: string, n: number): Map<string, Status>
}

function prepare(cases: ModuleCase[], root: string): void {
  for (const c of cases) {
    const dir = caseDir(root, c)
    const src = `${dir}.src`
    create(dir, c.files ?? {}, dir, src)
    if (c.controller) create(src, c.controller, dir, src)
  }
}

function collect(cases: ModuleCase[], root: string, statuses: Map<string, Status>): Map<string, RunRecord> {
  const out = new Map<string, RunRecord>()
  for (const c of cases) {
    const dir = caseDir(root, c)
    out.set(c.id, {
      status: statuses.get(c.id) ?? 'failed',
      files: snapshot(dir),
      stat: c.stat ? readStat(`${dir}.stat.json`, dir) : undefined,
    })
  }
  return out
}

function ansibleStatus(h: Record<string, unknown> | undefined): Status {
  if (!h) return 'failed'
  if (h.failed === true) return 'failed'
  if (h.skipped === true) return 'skipped'
  return h.changed === true ? 'changed' : 'ok'
}

export const ansible: Tool = {
  run(cases, root, n) {
    const file = join(root, `site-${n}.json`)
    const results = join(root, `ansible-${n}.json`)
    // Ansible pays a module start per task: the cases are spread over a few local hosts run side by side.
    const tasks = cases.map((c, i) => {
      const d = caseDir(root, c)
      const p = play(c, d, `${d}.src`, `${d}.stat.json`, true) as { tasks: unknown[] }
      return { name: c.id, block: p.tasks, when: `inventory_hostname == 'p${i % LANES}'` }
    })
    tasks.push({ name: 'results', block: [{ copy: { content: '{{ parity | default({}) | to_json }}', dest: `${results}-{{ inventory_hostname }}` } }], when: 'true' })
    writeFileSync(file, JSON.stringify([{ name: 'parity', hosts: 'all', gather_facts: false, strategy: 'free', tasks }]))
    writeFileSync(join(root, 'hosts.ini'), Array.from({ length: LANES }, (_, i) => `p${i} ${INVENTORY}`).join(''))
    const r = spawnSync('ansible-playbook', ['-i', join(root, 'hosts.ini'), file], {
      cwd: root, maxBuffer: 256 << 20,
      env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_PIPELINING: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCAL_TEMP: join(root, '.ansible-tmp'), ANSIBLE_DEPRECATION_WARNINGS: '0' },
    })
    // Every case ignores its errors: any other exit status is a broken harness.
    if (r.status !== 0) throw new Error(`ansible-playbook failed (exit ${r.status}): ${r.stdout?.toString().slice(-3000)}${r.stderr?.toString()}`)
    const recorded: Record<string, Record<string, unknown>> = {}
    for (let i = 0; i < LANES; i++) Object.assign(recorded, JSON.parse(readFileSync(`${results}-p${i}`, 'utf8')))
    const out = new Map<string, Status>()
    for (const c of cases) {
      out.set(c.id, ansibleStatus(recorded[c.id]))
      if (c.stat) writeFileSync(`${caseDir(root, c)}.stat.json`, JSON.stringify(recorded[c.id]?.stat ?? null))
    }
    return out
  },
}

function kubeseedStatus(results: Array<Extract<RunEvent, { type: 'result' }>>): Status {
  const mine = results.filter((r) => r.task === 'case')
  if (!mine.length) return 'failed'
  if (mine.some((r) => r.status === 'failed')) return 'failed'
  if (mine.some((r) => r.status === 'changed')) return 'changed'
  if (mine.every((r) => r.status === 'skipped')) return 'skipped'
  return 'ok'
}

export const kubeseed = {
  async run(cases: ModuleCase[], root: string, n: number): Promise<Map<string, Status>> {
    writeFileSync(join(root, 'hosts.ini'), `localhost ${INVENTORY}`)
    const out = new Map<string, Status>()
    for (const c of cases) {
      const d = caseDir(root, c)
      const file = `${d}.play-${n}.yaml`
      writeFileSync(file, JSON.stringify([play(c, d, `${d}.src`, `${d}.stat.json`)]))
      const events: RunEvent[] = []
      try {
        await runPlaybook({
          inventories: [join(root, 'hosts.ini')], playbook: file, registry, extraVars: {}, tags: [], skipTags: [],
          check: false, diff: false, forks: 1, sink: { emit: (e) => { events.push(e) } }, acceptNewHostKeys: false, knownHostsFiles: [],
        })
        out.set(c.id, kubeseedStatus(events.filter((e): e is Extract<RunEvent, { type: 'result' }> => e.type === 'result')))
      } catch {
        // Refused at load (bad parameters): nothing ran, which counts as a failed task.
        out.set(c.id, 'failed')
      }
    }
    return out
  },
}

export interface ParityRun {
  ansible: Map<string, Outcome>
  kubeseed: Map<string, Outcome>
  roots: { ansible: string; kubeseed: string }
}

/** Both tools, each in its own temporary directory, each twice over all cases. */
export async function runParity(cases: ModuleCase[]): Promise<ParityRun> {
  // Roots of the same length: a symlink's size is the length of the path it holds.
  const roots = { ansible: mkdtempSync(join(tmpdir(), 'ks-parity-a-')), kubeseed: mkdtempSync(join(tmpdir(), 'ks-parity-k-')) }
  const pair = async (root: string, run: (n: number) => Map<string, Status> | Promise<Map<string, Status>>) => {
    prepare(cases, root)
    const first = collect(cases, root, await run(1))
    const second = collect(cases, root, await run(2))
    return new Map(cases.map((c) => [c.id, [first.get(c.id)!, second.get(c.id)!] as Outcome]))
  }
  return {
    ansible: await pair(roots.ansible, (n) => ansible.run(cases, roots.ansible, n)),
    kubeseed: await pair(roots.kubeseed, (n) => kubeseed.run(cases, roots.kubeseed, n)),
    roots,
  }
}
