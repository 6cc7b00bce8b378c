import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nspawnArgs, nspawnLauncher } from '../../../src/sandbox/nspawn.js'
import type { NspawnNode } from '../../../src/sandbox/nspawn.js'

const node: NspawnNode = {
  root: "/var/lib/kube seed/it's/root", machine: 'demo-node1', hostname: 'node1', bridge: 'ks-demo',
  binds: [['/state/binds/var-lib-containerd', '/var/lib/containerd']], readOnly: ['/lib/modules'],
}

describe('sandbox nspawn', () => {
  it('boots without a system bus (PID 1 of the bastion need not be systemd) on the sandbox bridge', () => {
    const args = nspawnArgs(node)
    expect(args).to.include.members(['--boot', '--keep-unit', '--register=no', '--network-bridge=ks-demo', '--machine=demo-node1',
      '--bind=/state/binds/var-lib-containerd:/var/lib/containerd', '--bind-ro=/lib/modules', '--link-journal=no'])
    expect(args).to.include(`--directory=${node.root}`)
  })

  it('launches nspawn with exactly its arguments after joining every cgroup, whatever the paths hold', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-launch-'))
    try {
      const bin = join(dir, 'bin')
      mkdirSync(bin)
      // A stand-in nspawn that records its pid and argv, so the launcher's quoting is checked by a real shell.
      writeFileSync(join(bin, 'systemd-nspawn'), `#!/bin/sh\necho $$ > ${JSON.stringify(join(dir, 'pid'))}\nprintf '%s\\0' "$@"\n`)
      chmodSync(join(bin, 'systemd-nspawn'), 0o755)
      const cgroups = [join(dir, "cg one"), join(dir, "cg'two")]
      for (const c of cgroups) mkdirSync(c)
      const [cmd, ...args] = nspawnLauncher(node, cgroups)
      const r = spawnSync(cmd, args, { env: { PATH: `${bin}:/usr/bin:/bin` } })
      expect(r.status).to.equal(0)
      expect(r.stdout.toString('utf8').split('\0').slice(0, -1)).to.deep.equal(nspawnArgs(node))
      const pid = readFileSync(join(dir, 'pid'), 'utf8').trim()
      for (const c of cgroups) expect(readFileSync(join(c, 'cgroup.procs'), 'utf8').trim()).to.equal(pid)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('does not start nspawn when a cgroup cannot be joined', () => {
    const [cmd, ...args] = nspawnLauncher(node, ['/nonexistent/kubeseed-cgroup'])
    const r = spawnSync(cmd, args, { env: { PATH: '/nonexistent' } })
    expect(r.status).not.to.equal(0)
    expect(r.stderr.toString()).to.match(/cgroup\.procs/)
  })
})
