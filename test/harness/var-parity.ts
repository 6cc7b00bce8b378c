// Runs one playbook through ansible-playbook and through kubeseed and reads back what `debug: var=NAME`
// printed for every loop item, with Python's types (see typed-json.ts). The playbook's debug task must
// loop over variable names: `debug: { var: "{{ item }}" }` with `loop: ...`.

import { spawnSync } from 'node:child_process'
import { kubeseed } from './cli.js'
import { parseTypedJson, type Typed } from './typed-json.js'

/** What a tool printed per host and variable name; 'undefined' for Ansible's VARIABLE IS NOT DEFINED!. */
export type Printed = Map<string, Map<string, Typed | 'undefined'>>

const NOT_DEFINED = 'VARIABLE IS NOT DEFINED!'

function put(out: Printed, host: string, name: string, v: Typed): void {
  let m = out.get(host)
  if (!m) { m = new Map(); out.set(host, m) }
  m.set(name, v.t === 'str' && v.v === NOT_DEFINED ? 'undefined' : v)
}

export function ansibleAvailable(): boolean {
  return spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' }).status === 0
}

export function runAnsible(cwd: string, args: string[]): Printed {
  const r = spawnSync('ansible-playbook', args, {
    cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 300_000,
    env: { ...process.env, ANSIBLE_CALLBACK_FORMAT_PRETTY: 'false', ANSIBLE_NOCOLOR: '1', ANSIBLE_RETRY_FILES_ENABLED: '0', ANSIBLE_LOCALHOST_WARNING: 'false' },
  })
  if (r.status !== 0) throw new Error(`ansible-playbook failed (${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`)
  const out: Printed = new Map()
  for (const line of r.stdout.split('\n')) {
    const m = /^ok: \[([^\]]+)\] => \(item=([\w.]+)\) => (\{.*\})$/.exec(line)
    if (!m) continue
    const result = parseTypedJson(m[3]!)
    if (result.t !== 'dict' || !result.v[m[2]!]) throw new Error(`no value for ${m[2]} in: ${line.slice(0, 300)}`)
    put(out, m[1]!, m[2]!, result.v[m[2]!]!)
  }
  return out
}

export function runKubeseed(args: string[]): { printed: Printed; code: number; failures: string[] } {
  const r = kubeseed([...args, '--output', 'json'])
  const out: Printed = new Map()
  const failures: string[] = []
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const e = JSON.parse(line) as { type: string; status?: string; host?: string; item?: string; msg?: string }
    if (e.type !== 'result') continue
    if (e.status !== 'ok') { failures.push(`${e.host} ${e.item ?? ''}: ${e.msg}`); continue }
    if (e.item === undefined) continue
    const result = parseTypedJson(`{${e.msg}}`)
    if (result.t !== 'dict' || !result.v[e.item]) throw new Error(`no value for ${e.item} in: ${String(e.msg).slice(0, 300)}`)
    put(out, e.host!, e.item, result.v[e.item]!)
  }
  if (r.code !== 0 && !failures.length) failures.push(`exit ${r.code}: ${r.stderr.slice(-2000)}`)
  return { printed: out, code: r.code, failures }
}
