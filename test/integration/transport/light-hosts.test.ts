// The light test hosts themselves: isolation, start/stop of sshd, cleanup, and 50 at once.

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { load } from 'js-yaml'
import { ConnectionPool, addressFromVars } from '../../../src/engine/transport/pool.js'
import { rootfsPath } from '../../../src/sandbox/rootfs.js'
import { startLightHosts, type LightCluster } from '../../../src/sandbox/light.js'
import { lightSshOptions } from '../../harness/light-cluster.js'

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1] ?? '').filter((m) => m.startsWith(dir))
}

function sshdListeningOn(addresses: string[]): string[] {
  const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n')
  return ps.filter((l) => l.includes('sshd') && addresses.some((a) => l.includes(`ListenAddress=${a} `) || l.endsWith(`ListenAddress=${a}`)))
}

function inventoryOf(c: LightCluster) {
  return load(readFileSync(c.inventoryFile, 'utf8')) as {
    all: { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown>; children: Record<string, { hosts: Record<string, null> }> }
  }
}

async function execAll(c: LightCluster, script: string): Promise<string[]> {
  const inv = inventoryOf(c)
  const pool = new ConnectionPool(lightSshOptions(c))
  try {
    return await Promise.all(c.hosts.map(async (h) => {
      const conn = await pool.get(addressFromVars(h.name, { ...inv.all.vars, ...inv.all.hosts[h.name] }))
      return (await conn.exec({ script })).stdout.toString()
    }))
  } finally {
    await pool.closeAll()
  }
}

describe('light hosts', function () {
  this.timeout(120_000)

  it('gives each host its own filesystem, hostname and process tree, and leaves nothing after stop()', async () => {
    const c = await startLightHosts({ count: 2, name: 'iso', groups: { kube_control_plane: ['iso1'], kube_node: ['iso2'] } })
    let stopped = false
    try {
      const inv = inventoryOf(c)
      expect(Object.keys(inv.all.hosts)).to.deep.equal(['iso1', 'iso2'])
      expect(inv.all.hosts.iso1).to.deep.equal({ ansible_host: c.hosts[0]!.address, ansible_port: 22 })
      expect(inv.all.vars.ansible_ssh_private_key_file).to.equal(c.keyFile)
      expect(Object.keys(inv.all.children.kube_node!.hosts)).to.deep.equal(['iso2'])
      expect((readFileSync(c.keyFile).length > 0) && (execFileSync('stat', ['-c', '%a', c.keyFile], { encoding: 'utf8' }).trim())).to.equal('600')

      const written = await execAll(c, 'hostname; [ "$(hostname)" = iso1 ] && echo marker > /etc/kubeseed-light-test; cat /etc/kubeseed-light-test 2>/dev/null || echo absent; ps -eo pid=,comm= | head -1')
      expect(written[0]).to.match(/^iso1\nmarker\n\s*1 sshd\n$/)
      expect(written[1]).to.match(/^iso2\nabsent\n\s*1 sshd\n$/)
      expect(existsSync(`${rootfsPath()}/etc/kubeseed-light-test`)).to.equal(false)
      expect(readFileSync(`${c.host('iso1').root}/etc/kubeseed-light-test`, 'utf8')).to.equal('marker\n')

      await c.stop()
      stopped = true
      expect(mountsUnder(c.stateDir)).to.deep.equal([])
      expect(sshdListeningOn(c.hosts.map((h) => h.address))).to.deep.equal([])
      expect(existsSync(c.stateDir)).to.equal(false)
    } finally {
      if (!stopped) await c.stop()
    }
  })

  it('stopSshd ends every process of the host; startSshd brings it back with the same files', async () => {
    const c = await startLightHosts({ count: 1, name: 'cycle' })
    // ps sees the whole machine: a duration of its own tells this host's sleep from anyone else's.
    const sleeper = `sleep 300.${process.pid}`
    try {
      const before = await execAll(c, `echo kept > /root/kept; (${sleeper} </dev/null >/dev/null 2>&1 &); echo started`)
      expect(before).to.deep.equal(['started\n'])
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).to.include(sleeper)
      await c.stopSshd('cycle1')
      expect(sshdListeningOn([c.hosts[0]!.address])).to.deep.equal([])
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })).not.to.include(sleeper)
      await c.startSshd('cycle1')
      expect(await execAll(c, 'cat /root/kept')).to.deep.equal(['kept\n'])
    } finally {
      await c.stop()
    }
  })

  it('never hands out addresses a running cluster holds', async () => {
    const [a, b] = await Promise.all([startLightHosts({ count: 2, name: 'a' }), startLightHosts({ count: 2, name: 'b' })])
    try {
      const all = [...a.hosts, ...b.hosts].map((h) => h.address)
      expect(new Set(all).size).to.equal(4)
      expect(await execAll(a, 'hostname')).to.deep.equal(['a1\n', 'a2\n'])
      expect(await execAll(b, 'hostname')).to.deep.equal(['b1\n', 'b2\n'])
      let refused: Error | undefined
      await startLightHosts({ count: 1, baseAddress: a.hosts[0]!.address }).catch((e: Error) => { refused = e })
      expect(refused?.message).to.match(/in use|pick another baseAddress/)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })

  it('starts 50 hosts on this machine in reasonable time, each answering over SSH', async () => {
    const t0 = Date.now()
    const c = await startLightHosts({ count: 50, name: 'many' })
    try {
      const started = Date.now() - t0
      expect(started).to.be.below(60_000)
      const names = await execAll(c, 'hostname')
      expect(names).to.deep.equal(c.hosts.map((h) => `${h.name}\n`))
    } finally {
      await c.stop()
    }
    expect(mountsUnder(c.stateDir)).to.deep.equal([])
    expect(sshdListeningOn(c.hosts.map((h) => h.address))).to.deep.equal([])
  })
})
