import { expect } from 'chai'
import { readFileSync } from 'node:fs'
import { load } from 'js-yaml'
import { InventoryError } from '../../../src/engine/errors.js'
import { LocalConnection } from '../../../src/engine/transport/local.js'
import { ConnectionPool, addressFromVars, jumpFromSshArgs } from '../../../src/engine/transport/pool.js'
import type { SshConnection } from '../../../src/engine/transport/ssh.js'
import { DEPLOY_PASSWORD } from '../../../src/sandbox/light.js'
import { lightSshOptions, useLightCluster } from '../../harness/light-cluster.js'

describe('addressFromVars', () => {
  it('maps the Ansible connection variables', () => {
    const a = addressFromVars('node1', {
      ansible_host: '10.0.0.5', ansible_port: 2222, ansible_user: 'ops', ansible_ssh_private_key_file: '/k/id',
      ansible_ssh_pass: 's3cret', ansible_become_password: 'b3come',
    })
    expect(a).to.deep.equal({
      name: 'node1', connection: 'ssh', address: '10.0.0.5', port: 2222, user: 'ops', privateKeyFile: '/k/id',
      password: 's3cret', becomePassword: 'b3come',
    })
  })

  it('defaults to the inventory name, port 22 and the local user', () => {
    const a = addressFromVars('node1.example', {})
    expect(a.address).to.equal('node1.example')
    expect(a.port).to.equal(22)
    expect(a.user).to.equal(process.env.USER ?? 'root')
    expect(a.jump).to.equal(undefined)
  })

  it('knows ansible_connection local and refuses what it cannot do', () => {
    expect(addressFromVars('localhost', { ansible_connection: 'local' }).connection).to.equal('local')
    expect(() => addressFromVars('w1', { ansible_connection: 'winrm' })).to.throw(InventoryError, /host w1: ansible_connection "winrm" is not supported/)
    expect(() => addressFromVars('w1', { ansible_port: 'twenty' })).to.throw(InventoryError, /ansible_port "twenty" is not a TCP port/)
  })

  const jumps: Array<[string, { user: string; address: string; port: number; key?: string; inner?: string }]> = [
    ['-o ProxyJump=ops@bastion.example:2200', { user: 'ops', address: 'bastion.example', port: 2200, key: '/k/id' }],
    ['-J ops@10.1.1.1', { user: 'ops', address: '10.1.1.1', port: 22, key: '/k/id' }],
    ['-o StrictHostKeyChecking=no -o "ProxyJump ops@b"', { user: 'ops', address: 'b', port: 22, key: '/k/id' }],
    [`-o ProxyCommand="ssh -W %h:%p -q ops@10.2.2.2 -p 2201 -i /k/bastion"`, { user: 'ops', address: '10.2.2.2', port: 2201, key: '/k/bastion' }],
    [`-o ProxyCommand='ssh -o UserKnownHostsFile=/dev/null -W %h:%p -p 22 ubuntu@1.2.3.4'`, { user: 'ubuntu', address: '1.2.3.4', port: 22, key: '/k/id' }],
    [`-o ProxyCommand="ssh -l admin -o Port=2022 gw -A nc -w 1 %h %p"`, { user: 'admin', address: 'gw', port: 2022, key: '/k/id' }],
    ['-o ProxyJump=a@first,b@second', { user: 'b', address: 'second', port: 22, key: '/k/id', inner: 'first' }],
  ]
  for (const [args, want] of jumps) {
    it(`finds the jump host in ${args}`, () => {
      const a = addressFromVars('n1', { ansible_host: '10.9.9.9', ansible_ssh_private_key_file: '/k/id', ansible_ssh_common_args: args })
      expect(a.jump).to.include({ user: want.user, address: want.address, port: want.port, privateKeyFile: want.key })
      expect(a.jump?.jump?.address).to.equal(want.inner)
    })
  }

  it('refuses a ProxyCommand it cannot follow, saying what works', () => {
    expect(() => jumpFromSshArgs(`-o ProxyCommand="corkscrew proxy 8080 %h %p"`, 'n1')).to.throw(InventoryError, /ProxyJump=user@bastion/)
  })

  it('uses kubespray\'s bastion host as jump host, except for the bastion itself', () => {
    const bastion = { name: 'bastion', vars: { ansible_host: '203.0.113.7', ansible_user: 'ops' } }
    const a = addressFromVars('node1', { ansible_host: '10.0.0.5', ansible_ssh_private_key_file: '/k/id' }, bastion)
    expect(a.jump).to.include({ name: 'bastion', address: '203.0.113.7', user: 'ops', port: 22, privateKeyFile: '/k/id' })
    expect(addressFromVars('bastion', bastion.vars, bastion).jump).to.equal(undefined)
    const own = addressFromVars('node1', { ansible_ssh_common_args: '-J me@elsewhere' }, bastion)
    expect(own.jump?.address).to.equal('elsewhere')
  })
})

describe('ConnectionPool against light hosts', function () {
  this.timeout(60_000)
  const shared = useLightCluster({ count: 4, name: 'pool' })
  let pool: ConnectionPool

  beforeEach(() => { pool = new ConnectionPool(lightSshOptions(shared.cluster)) })
  afterEach(async () => { await pool.closeAll() })

  /** The variables of a host as the light cluster's inventory gives them. */
  function inventoryVars(host: string): Record<string, unknown> {
    const inv = load(readFileSync(shared.cluster.inventoryFile, 'utf8')) as {
      all: { hosts: Record<string, Record<string, unknown>>; vars: Record<string, unknown> }
    }
    return { ...inv.all.vars, ...inv.all.hosts[host] }
  }

  it('connects once per host, sharing the pending connect between concurrent callers', async () => {
    const addr = addressFromVars('pool1', inventoryVars('pool1'))
    const conns = await Promise.all(Array.from({ length: 6 }, () => pool.get(addr)))
    expect(new Set(conns).size).to.equal(1)
    const conn = conns[0] as SshConnection
    expect(conn.sessionsOpened).to.equal(1)
    const r = await Promise.all(conns.map((c) => c.exec({ script: 'hostname' })))
    expect(r.map((x) => x.stdout.toString())).to.deep.equal(Array(6).fill('pool1\n'))
    expect(pool.hosts()).to.deep.equal(['pool1'])
  })

  it('gives a local connection for ansible_connection=local', async () => {
    const conn = await pool.get(addressFromVars('localhost', { ansible_connection: 'local' }))
    expect(conn).to.be.instanceOf(LocalConnection)
  })

  it('becomes root with the inventory become password', async () => {
    const conn = await pool.get(addressFromVars('pool2', { ...inventoryVars('pool2'), ansible_user: 'deploy' }))
    const r = await conn.exec({ script: 'id -u', become: { method: 'sudo', user: 'root' } })
    expect(r.code, r.stderr.toString()).to.equal(0)
    expect(r.stdout.toString()).to.equal('0\n')
    expect(DEPLOY_PASSWORD).to.equal(inventoryVars('pool2').ansible_become_password)
  })

  it('shares one bastion connection between the nodes behind it', async () => {
    const c = shared.cluster
    const bastion = { name: 'pool1', vars: inventoryVars('pool1') }
    const nodes = ['pool2', 'pool3', 'pool4']
    const conns = await Promise.all(nodes.map((n) => pool.get(addressFromVars(n, inventoryVars(n), bastion))))
    const names = await Promise.all(conns.map(async (x) => (await x.exec({ script: 'hostname' })).stdout.toString().trim()))
    expect(names).to.deep.equal(nodes)
    expect(pool.hosts().sort()).to.deep.equal(['pool1', 'pool2', 'pool3', 'pool4'])
    const jump = await pool.get(addressFromVars('pool1', inventoryVars('pool1')))
    expect((jump as SshConnection).sessionsOpened).to.equal(1)
    // The nodes' sessions run through the bastion: stopping it cuts them all.
    await c.stopSshd('pool1')
    try {
      const failed = await Promise.allSettled(conns.map((x) => x.exec({ script: 'true' })))
      expect(failed.map((f) => f.status)).to.deep.equal(['rejected', 'rejected', 'rejected'])
    } finally {
      await c.startSshd('pool1')
    }
  })

  it('follows ProxyCommand="ssh -W %h:%p ..." from ansible_ssh_common_args', async () => {
    const c = shared.cluster
    const vars = {
      ...inventoryVars('pool3'),
      ansible_ssh_common_args: `-o ProxyCommand="ssh -W %h:%p -q nopass@${c.host('pool2').address} -i ${c.keyFile}"`,
    }
    const conn = await pool.get(addressFromVars('pool3', vars))
    expect((await conn.exec({ script: 'hostname' })).stdout.toString()).to.equal('pool3\n')
    expect(pool.hosts().sort()).to.deep.equal([c.host('pool2').address, 'pool3'])
  })

  it('does not remember a failed connect: asking again tries again', async () => {
    const c = shared.cluster
    const addr = addressFromVars('pool4', inventoryVars('pool4'))
    await c.stopSshd('pool4')
    try {
      const quick = new ConnectionPool(lightSshOptions(c, { connectRetries: 0 }))
      let failed = false
      await quick.get(addr).catch(() => { failed = true })
      expect(failed).to.equal(true)
      await c.startSshd('pool4')
      const conn = await quick.get(addr)
      expect((await conn.exec({ script: 'hostname' })).stdout.toString()).to.equal('pool4\n')
      await quick.closeAll()
    } finally {
      await c.startSshd('pool4')
    }
  })
})
