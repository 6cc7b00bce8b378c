// Task types that change system state, run for real inside a throwaway chroot host.

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskType } from '../../../src/engine/task.js'
import { blockinfile } from '../../../src/tasks/blockinfile.js'
import { file } from '../../../src/tasks/file.js'
import { hostname } from '../../../src/tasks/hostname.js'
import { modprobe } from '../../../src/tasks/modprobe.js'
import { swap } from '../../../src/tasks/swap.js'
import { archiveMarkerPath } from '../../../src/tasks/shared/archive-marker.js'
import { unarchive } from '../../../src/tasks/unarchive.js'
import { chrootHost, type ChrootHost } from './chroot-host.js'
import { runTask, type CtxOptions } from './run-task.js'

describe('host task types (real runs in a chroot)', function () {
  this.timeout(300_000)
  let host: ChrootHost
  before(async () => { host = await chrootHost() })
  after(async () => { await host?.close() })

  const run = <P>(t: TaskType<P>, params: unknown, opts: { check?: boolean; diff?: boolean; ctx?: CtxOptions } = {}) =>
    runTask(t, params, { ...opts, wrap: host.wrap })
  const inHost = (p: string) => join(host.upper, p)

  /** First run changes, second run does not; check mode before both changes nothing. */
  async function converges<P>(t: TaskType<P>, params: unknown, probe: () => unknown, ctx?: CtxOptions) {
    const before = probe()
    const chk = await run(t, params, { check: true, ctx })
    expect(chk.rc, chk.stderr).to.equal(0)
    expect(chk.changes.length, 'check mode reports the change').to.be.greaterThan(0)
    expect(probe(), 'check mode changes nothing').to.deep.equal(before)
    const first = await run(t, params, { ctx })
    expect(first.rc, first.stderr).to.equal(0)
    expect(first.changes.length).to.be.greaterThan(0)
    const second = await run(t, params, { ctx })
    expect(second.rc, second.stderr).to.equal(0)
    expect(second.changes, 'second run').to.deep.equal([])
    return first
  }

  const snapshot = (p: string) => () => {
    const full = inHost(p)
    const st = lstatSync(full, { throwIfNoEntry: false })
    if (!st) return null
    return { mode: st.mode, uid: st.uid, link: st.isSymbolicLink() ? readlinkSync(full) : null, content: st.isFile() ? readFileSync(full, 'utf8') : null }
  }

  it('file: directory with mode and owner', async () => {
    await converges(file, { path: '/etc/kubernetes/manifests', state: 'directory', mode: '0700', owner: 'nobody' }, snapshot('etc/kubernetes/manifests'))
    const st = statSync(inHost('etc/kubernetes/manifests'))
    expect((st.mode & 0o777).toString(8)).to.equal('700')
  })

  it('file: recursive attributes', async () => {
    await run(file, { path: '/opt/cni/bin', state: 'directory' })
    await run(file, { path: '/opt/cni/bin/x', state: 'touch' })
    await converges(file, { path: '/opt/cni', state: 'directory', recurse: true, owner: 'nobody' }, snapshot('opt/cni/bin/x'))
    expect(statSync(inHost('opt/cni/bin/x')).uid).to.not.equal(0)
  })

  it('file: touch, link, hard link, absent', async () => {
    // Touching is never idempotent: as Ansible, it reports changed every time (the times move), check mode too.
    const touch = { path: '/etc/ks-touched', state: 'touch', mode: '0600' }
    expect((await run(file, touch, { check: true })).changes).to.deep.equal(['create /etc/ks-touched'])
    expect(existsSync(inHost('etc/ks-touched'))).to.equal(false)
    expect((await run(file, touch)).changes).to.include('create /etc/ks-touched')
    expect(lstatSync(inHost('etc/ks-touched')).mode & 0o7777).to.equal(0o600)
    expect((await run(file, touch)).changes).to.deep.equal(['touch /etc/ks-touched'])
    expect((await run(file, touch, { check: true })).changes).to.deep.equal(['touch /etc/ks-touched'])
    await converges(file, { path: '/usr/local/bin/ks-link', state: 'link', src: '/etc/ks-touched' }, snapshot('usr/local/bin/ks-link'))
    expect(readlinkSync(inHost('usr/local/bin/ks-link'))).to.equal('/etc/ks-touched')
    await converges(file, { path: '/usr/local/bin/ks-link', state: 'link', src: '/etc/hostname' }, snapshot('usr/local/bin/ks-link'))
    await converges(file, { path: '/etc/ks-hard', state: 'hard', src: '/etc/ks-touched' }, snapshot('etc/ks-hard'))
    await converges(file, { path: '/etc/ks-touched', state: 'absent' }, snapshot('etc/ks-touched'))
    expect(existsSync(inHost('etc/ks-touched'))).to.equal(false)
  })

  it('file: refuses to replace a regular file by a link without force', async () => {
    const r = await run(file, { path: '/etc/hostname', state: 'link', src: '/etc/hosts' })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include('set force: yes')
  })

  it('blockinfile: inserts, updates in place, removes', async () => {
    const block = { path: '/etc/hosts', block: '10.0.0.1 node1\n10.0.0.2 node2\n', marker: '# {mark} kubeseed hosts' }
    await converges(blockinfile, block, snapshot('etc/hosts'))
    const hosts = readFileSync(inHost('etc/hosts'), 'utf8')
    expect(hosts).to.match(/ip6-loopback\n# BEGIN kubeseed hosts\n10\.0\.0\.1 node1\n10\.0\.0\.2 node2\n# END kubeseed hosts\n$/)
    const d = await run(blockinfile, { ...block, block: '10.0.0.1 node1\n' }, { diff: true })
    expect(d.diff).to.include('-10.0.0.2 node2')
    await converges(blockinfile, { ...block, state: 'absent' }, snapshot('etc/hosts'))
    expect(readFileSync(inHost('etc/hosts'), 'utf8')).not.to.include('kubeseed')
  })

  it('blockinfile: inserts after a regex, and creates a file', async () => {
    await converges(blockinfile, { path: '/etc/ks-block.conf', block: 'a=1', create: true, mode: '0640' }, snapshot('etc/ks-block.conf'))
    expect(readFileSync(inHost('etc/ks-block.conf'), 'utf8')).to.equal('# BEGIN ANSIBLE MANAGED BLOCK\na=1\n# END ANSIBLE MANAGED BLOCK\n')
    await converges(blockinfile, { path: '/etc/hosts', block: 'x', insertafter: '^127\\.0\\.0\\.1' }, snapshot('etc/hosts'))
    expect(readFileSync(inHost('etc/hosts'), 'utf8')).to.match(/^127\.0\.0\.1\tlocalhost\n# BEGIN ANSIBLE MANAGED BLOCK\nx\n# END/)
  })

  it('swap: comments out fstab swap lines (no swap is active in the chroot)', async () => {
    mkdirSync(inHost('etc'), { recursive: true })
    writeFileSync(inHost('etc/fstab'), '/dev/sda1 / ext4 defaults 0 1\nUUID=abc none swap sw 0 0\n# /dev/sdb swap swap sw 0 0\n')
    await converges(swap, {}, snapshot('etc/fstab'))
    expect(readFileSync(inHost('etc/fstab'), 'utf8')).to.equal(
      '/dev/sda1 / ext4 defaults 0 1\n# UUID=abc none swap sw 0 0  # swap off for kubelet\n# /dev/sdb swap swap sw 0 0\n')
  })

  it('modprobe: persists a module (loading is check-mode only here: the kernel is shared)', async () => {
    const r = await run(modprobe, { name: 'ks_no_such_module', state: 'present' }, { check: true })
    expect(r.changes).to.deep.equal(['load module ks_no_such_module'])
    const loaded = execFileSync('sh', ['-c', 'ls /sys/module | head -n 1']).toString().trim()
    await converges(modprobe, { name: loaded, persistent: 'present', params: 'a=1' }, snapshot(`etc/modules-load.d/${loaded}.conf`))
    expect(readFileSync(inHost(`etc/modules-load.d/${loaded}.conf`), 'utf8')).to.equal(`${loaded}\n`)
    expect(readFileSync(inHost(`etc/modprobe.d/${loaded}.conf`), 'utf8')).to.equal(`options ${loaded} a=1\n`)
  })

  it('hostname without systemd: /etc/hostname and the running name', async () => {
    const name = 'ks-node-01'
    const probe = snapshot('etc/hostname')
    await converges(hostname, { name }, probe, { facts: { ks_systemd_running: false } })
    expect(readFileSync(inHost('etc/hostname'), 'utf8')).to.equal(`${name}\n`)
    const r = await run(hostname, { name }, { ctx: { facts: { ks_systemd_running: false } } })
    expect(r.changes).to.deep.equal([])
  })

  it('unarchive: extracts once per archive content; a new archive extracts again', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ks-arch-'))
    try {
      mkdirSync(join(work, 'cni'))
      writeFileSync(join(work, 'cni', 'bridge'), 'v1')
      execFileSync('tar', ['-czf', join(work, 'a.tgz'), '-C', work, 'cni'])
      await run(file, { path: '/opt/x', state: 'directory' })
      const ctx = { files: { 'files/a.tgz': readFileSync(join(work, 'a.tgz')) } }
      await converges(unarchive, { src: 'files/a.tgz', dest: '/opt/x' }, snapshot('opt/x/cni/bridge'), ctx)
      expect(readFileSync(inHost('opt/x/cni/bridge'), 'utf8')).to.equal('v1')
      writeFileSync(join(work, 'cni', 'bridge'), 'v2')
      execFileSync('tar', ['-czf', join(work, 'a.tgz'), '-C', work, 'cni'])
      const ctx2 = { files: { 'files/a.tgz': readFileSync(join(work, 'a.tgz')) } }
      expect((await run(unarchive, { src: 'files/a.tgz', dest: '/opt/x' }, { ctx: ctx2 })).changes).to.have.length(1)
      expect(readFileSync(inHost('opt/x/cni/bridge'), 'utf8')).to.equal('v2')
      const remote = await run(unarchive, { src: '/opt/none.tgz', dest: '/opt/x', remote_src: true })
      expect(remote.rc).to.equal(1)
      expect(remote.stderr).to.include('does not exist on the host')
      const skip = await run(unarchive, { src: 'files/a.tgz', dest: '/opt/y', creates: '/opt/x/cni' }, { ctx: ctx2 })
      expect(skip.changes).to.deep.equal([])
      // Files removed since (a reset): the same archive is extracted again, honouring --strip-components.
      await run(file, { path: '/opt/x/cni/bridge', state: 'absent' })
      expect((await run(unarchive, { src: 'files/a.tgz', dest: '/opt/x' }, { ctx: ctx2 })).changes).to.have.length(1)
      expect(readFileSync(inHost('opt/x/cni/bridge'), 'utf8')).to.equal('v2')
      await run(file, { path: '/opt/z', state: 'directory' })
      const strip = { src: 'files/a.tgz', dest: '/opt/z', extra_opts: ['--strip-components=1'] }
      await converges(unarchive, strip, snapshot('opt/z/bridge'), ctx2)
      await run(file, { path: '/opt/z/bridge', state: 'absent' })
      expect((await run(unarchive, strip, { ctx: ctx2 })).changes).to.have.length(1)
      expect(readFileSync(inHost('opt/z/bridge'), 'utf8')).to.equal('v2')
      // The member list is kept beside the marker; a marker an older run left alone gets it on the next check,
      // and either way a removed member is extracted again.
      const keptPath = archiveMarkerPath('/opt/z', 'files/a.tgz', ['--strip-components=1']).replace(/\.sha256$/, '.members')
      const kept = inHost(keptPath)
      expect(readFileSync(kept, 'utf8').split('\n')).to.include('bridge')
      await run(file, { path: keptPath, state: 'absent' })
      expect((await run(unarchive, strip, { ctx: ctx2 })).changes).to.deep.equal([])
      expect(readFileSync(kept, 'utf8').split('\n')).to.include('bridge')
      await run(file, { path: keptPath, state: 'absent' })
      await run(file, { path: '/opt/z/bridge', state: 'absent' })
      expect((await run(unarchive, strip, { ctx: ctx2 })).changes).to.have.length(1)
      expect(existsSync(kept)).to.equal(true)
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })
})
