import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseParams } from '../../../src/engine/params.js'
import { PRELUDE } from '../../../src/engine/step/prelude.js'
import { service } from '../../../src/tasks/service.js'
import { systemd, systemdScript, type SystemdParams } from '../../../src/tasks/systemd.js'
import { shSyntaxError } from './sh-syntax.js'

const where = { file: 'p.yaml', line: 1 }
const parse = (raw: unknown) => parseParams(systemd, raw, where, { templated: true })

// The planning is checked against a stand-in `systemctl` that answers from a state file and logs what it
// is asked to do: real units need a booted systemd, which the sandbox e2e covers.
function runAgainst(p: SystemdParams, state: { active: boolean; enabled: string; load?: string; loadedAt?: string; needReload?: string }, check = false) {
  const dir = mkdtempSync(join(tmpdir(), 'ks-systemctl-'))
  try {
    const log = join(dir, 'log')
    writeFileSync(join(dir, 'systemctl'), `#!/bin/sh
echo "$*" >> ${log}
case "$1" in
  show) case "$*" in
    *UnitsLoadTimestamp*) echo ${JSON.stringify(state.loadedAt ?? 'loaded')} ;;
    *NeedDaemonReload*) echo ${state.needReload ?? 'loaded'} ;;
    *) echo ${state.load ?? 'loaded'} ;;
  esac ;;
  is-active) [ ${state.active ? 1 : 0} = 1 ]; exit $? ;;
  is-enabled) [ "$2" = --quiet ] && { case ${state.enabled} in enabled|static|alias|indirect) exit 0 ;; *) exit 1 ;; esac; }; echo ${state.enabled}; case ${state.enabled} in enabled|static) exit 0 ;; *) exit 1 ;; esac ;;
esac
exit 0
`)
    chmodSync(join(dir, 'systemctl'), 0o755)
    const script = systemdScript(p).replace("[ -d /run/systemd/system ] ||", '[ -d / ] ||')
    const full = `KS_NONCE=N; KS_CHECK=${check ? 1 : 0}; PATH=${dir}:$PATH\n${PRELUDE}\n(\n${script}\n)`
    const r = spawnSync('/bin/sh', ['-s'], { input: full, encoding: 'utf8' })
    const changes = [...r.stdout.matchAll(/N:CHG:(.*)/g)].map((m) => m[1])
    let calls: string[] = []
    try { calls = spawnSync('cat', [log], { encoding: 'utf8' }).stdout.trim().split('\n') } catch { /* no calls */ }
    return { rc: r.status, changes, acts: calls.filter((c) => !/^(show|is-active|is-enabled)/.test(c)), stderr: r.stderr }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('systemd planning', () => {
  it('starts and enables only what is not already so', () => {
    const p = parse({ name: 'kubelet', state: 'started', enabled: true })
    expect(runAgainst(p, { active: false, enabled: 'disabled' })).to.deep.include({ rc: 0, changes: ['enable kubelet', 'start kubelet'], acts: ['enable kubelet', 'start kubelet'] })
    expect(runAgainst(p, { active: true, enabled: 'enabled' })).to.deep.include({ rc: 0, changes: [], acts: [] })
  })

  it('reports but does nothing in check mode', () => {
    const p = parse({ name: 'kubelet', state: 'stopped', enabled: false })
    expect(runAgainst(p, { active: true, enabled: 'enabled' }, true)).to.deep.include({ changes: ['disable kubelet', 'stop kubelet'], acts: [] })
  })

  it('restarted always acts; reloaded starts a stopped unit', () => {
    expect(runAgainst(parse({ name: 'containerd', state: 'restarted' }), { active: true, enabled: 'enabled' }).acts).to.deep.equal(['restart containerd'])
    expect(runAgainst(parse({ name: 'containerd', state: 'reloaded' }), { active: false, enabled: 'enabled' }).acts).to.deep.equal(['start containerd'])
    expect(runAgainst(parse({ name: 'containerd', state: 'reloaded' }), { active: true, enabled: 'enabled' }).acts).to.deep.equal(['reload containerd'])
  })

  it('runs daemon-reload first and leaves static units alone when disabling', () => {
    const r = runAgainst(parse({ name: 'x.service', daemon_reload: true, enabled: false }), { active: false, enabled: 'static' })
    expect(r.acts).to.deep.equal(['daemon-reload'])
    expect(r.changes).to.deep.equal([])
  })

  it('skips daemon-reload only when no unit file changed since systemd last loaded them and the unit needs none', () => {
    // systemd's own format, whole seconds; a load "tomorrow" is later than every file on this machine.
    const at = (ms: number) => spawnSync('date', ['-u', '-d', `@${Math.floor(ms / 1000)}`, '+%a %Y-%m-%d %H:%M:%S UTC'], { encoding: 'utf8' }).stdout.trim()
    const p = parse({ name: 'containerd', daemon_reload: true, state: 'started' })
    const up = { active: true, enabled: 'enabled' }
    expect(runAgainst(p, { ...up, loadedAt: at(Date.now() + 86_400_000), needReload: 'no' }).acts).to.deep.equal([])
    expect(runAgainst(p, { ...up, loadedAt: at(Date.now() + 86_400_000), needReload: 'yes' }).acts).to.deep.equal(['daemon-reload'])
    // Loaded in 2000: unit files and /etc/fstab have changed since.
    expect(runAgainst(p, { ...up, loadedAt: 'Thu 2000-01-06 00:00:00 UTC', needReload: 'no' }).acts).to.deep.equal(['daemon-reload'])
    expect(runAgainst(p, { ...up, loadedAt: 'not a time', needReload: 'no' }).acts).to.deep.equal(['daemon-reload'])
    expect(runAgainst(p, { ...up, loadedAt: '', needReload: 'no' }).acts).to.deep.equal(['daemon-reload'])
  })

  it('masks and unmasks', () => {
    expect(runAgainst(parse({ name: 'swap.target', masked: true }), { active: false, enabled: 'enabled', load: 'not-found' }).acts).to.deep.equal(['mask swap.target'])
    expect(runAgainst(parse({ name: 'swap.target', masked: true }), { active: false, enabled: 'masked' }).acts).to.deep.equal([])
    expect(runAgainst(parse({ name: 'x', masked: false }), { active: false, enabled: 'masked' }).acts).to.deep.equal(['unmask x'])
  })

  it('fails for a unit that does not exist, except in check mode', () => {
    const p = parse({ name: 'nope', state: 'started' })
    const r = runAgainst(p, { active: false, enabled: 'disabled', load: 'not-found' })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include('could not find the requested service nope')
    expect(runAgainst(p, { active: false, enabled: 'disabled', load: 'not-found' }, true).rc).to.equal(0)
  })

  it('refuses a task with nothing to do, and quotes unit names', () => {
    expect(() => parse({ enabled: true })).to.throw(/need "name"/)
    expect(() => parse({})).to.throw(/nothing to do/)
    const s = systemd.plan(parse({ name: "a b';reboot", state: 'started' }), undefined as never).script
    expect(s).to.include(`'a b'\\'';reboot'`)
    expect(shSyntaxError(s)).to.equal(undefined)
  })

  it('service uses the same semantics', () => {
    const p = parseParams(service, { name: 'containerd', state: 'started', enabled: 'yes' }, where, { templated: true })
    expect(service.plan(p, undefined as never).script).to.equal(systemdScript({ ...p, daemon_reload: false, daemon_reexec: false, no_block: false }))
    expect(() => parseParams(service, { name: 'x' }, where, { templated: true })).to.throw(/nothing to do/)
  })
})
