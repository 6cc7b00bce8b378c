import { expect } from 'chai'
import { lstatSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sysctl } from '../../../src/tasks/sysctl.js'
import { chrootHost, type ChrootHost } from './chroot-host.js'
import { runTask } from './run-task.js'

describe('sysctl (real runs in a chroot with its own network namespace)', function () {
  this.timeout(300_000)
  let host: ChrootHost
  before(async () => { host = await chrootHost() })
  after(async () => { await host?.close() })

  const run = (params: Record<string, unknown>, opts: { check?: boolean; diff?: boolean } = {}) => runTask(sysctl, params, { ...opts, wrap: host.wrap })
  // Debian's 99-sysctl.conf is a link to /etc/sysctl.conf: the edit lands there and the link stays.
  const readConf = () => readFileSync(join(host.upper, 'etc/sysctl.conf'), 'utf8')
  const CONF = '/etc/sysctl.conf'

  it('check mode reports both changes and makes none', async () => {
    const r = await run({ name: 'net.ipv4.ip_forward', value: '1' }, { check: true, diff: true })
    expect(r.rc, r.stderr).to.equal(0)
    expect(r.changes).to.include(`content of ${CONF}`)
    expect(r.changes).to.include('net.ipv4.ip_forward: 0 -> 1')
    expect(r.diff).to.include('+net.ipv4.ip_forward=1')
    const again = await run({ name: 'net.ipv4.ip_forward', value: '1' }, { check: true })
    expect(again.changes).to.have.length(2)
  })

  it('writes the file and sets the running value, then is ok', async () => {
    const r = await run({ name: 'net.ipv4.ip_forward', value: 1 })
    expect(r.rc, r.stderr).to.equal(0)
    expect(r.changes).to.deep.equal([`content of ${CONF}`, 'net.ipv4.ip_forward: 0 -> 1'])
    expect(readConf()).to.match(/\nnet\.ipv4\.ip_forward=1\n$/)
    expect(lstatSync(join(host.upper, 'etc/sysctl.d/99-sysctl.conf'), { throwIfNoEntry: false })).to.equal(undefined)
    expect((await run({ name: 'net.ipv4.ip_forward', value: '1' })).changes).to.deep.equal([])
  })

  it('compares multi-value keys with whitespace normalised', async () => {
    const p = { name: 'net.ipv4.ip_local_port_range', value: '20000    60999' }
    expect((await run(p)).changes).to.include('net.ipv4.ip_local_port_range: 32768 60999 -> 20000 60999')
    expect((await run(p)).changes).to.deep.equal([])
    expect(readConf()).to.include('net.ipv4.ip_local_port_range=20000 60999\n')
  })

  it('removes the line with state=absent', async () => {
    const r = await run({ name: 'net.ipv4.ip_forward', state: 'absent' })
    expect(r.changes).to.deep.equal([`content of ${CONF}`])
    expect(readConf()).not.to.match(/^net\.ipv4\.ip_forward=/m)
    expect(readConf()).to.include('#net.ipv4.ip_forward=1')
  })

  it('fails clearly for an unknown key', async () => {
    const r = await run({ name: 'net.nope.nothing', value: '1' })
    expect(r.rc).to.equal(1)
    expect(r.stderr).to.include('sysctl key net.nope.nothing does not exist')
  })
})
