import { expect } from 'chai'
import { addressFromVars, CONNECTION_VARS, jumpFromSshArgs, knownHostsFromSshArgs } from '../../../src/engine/transport/address-from-vars.js'
import { InventoryError } from '../../../src/engine/errors.js'
import { connectionVars } from '../../../src/engine/transport/connector.js'

describe('transport: address from inventory variables', () => {
  it('reads ansible_host, port, user, key and passwords, and the old ansible_ssh_* names', () => {
    expect(addressFromVars('node1', {
      ansible_host: '10.0.0.5', ansible_port: 2222, ansible_user: 'deploy', ansible_ssh_private_key_file: '/k', ansible_password: 'pw',
      ansible_become_password: 'bpw',
    })).to.deep.equal({ name: 'node1', connection: 'ssh', address: '10.0.0.5', port: 2222, user: 'deploy', privateKeyFile: '/k', password: 'pw', becomePassword: 'bpw' })
    const old = addressFromVars('node2', { ansible_ssh_host: '10.0.0.6', ansible_ssh_port: '23', ansible_ssh_user: 'ops', ansible_ssh_pass: 'x', ansible_sudo_pass: 'y' })
    expect(old).to.include({ address: '10.0.0.6', port: 23, user: 'ops', password: 'x', becomePassword: 'y' })
  })

  it('uses the inventory name as address and port 22 when nothing is set; local hosts take no jump', () => {
    expect(addressFromVars('node3', { ansible_user: 'u' })).to.include({ address: 'node3', port: 22, connection: 'ssh' })
    const local = addressFromVars('here', { ansible_connection: 'local' }, { name: 'bastion', vars: { ansible_host: '1.2.3.4' } })
    expect(local).to.include({ connection: 'local' })
    expect(local.jump).to.equal(undefined)
  })

  it('refuses an unknown connection type, a bad port and a list where a string belongs, naming the host', () => {
    expect(() => addressFromVars('n', { ansible_connection: 'winrm' })).to.throw(InventoryError, /host n.*ansible_connection "winrm" is not supported/)
    expect(() => addressFromVars('n', { ansible_port: 70000 })).to.throw(InventoryError, /70000.*is not a TCP port/)
    expect(() => addressFromVars('n', { ansible_host: ['a'] })).to.throw(InventoryError, /ansible_host must be a string, not a list/)
  })

  it("goes through kubespray's bastion, passing the node's key on, but not for the bastion itself", () => {
    const bastion = { name: 'bastion', vars: { ansible_host: '192.0.2.1', ansible_user: 'jump' } }
    const node = addressFromVars('node1', { ansible_host: '10.0.0.5', ansible_user: 'u', ansible_ssh_private_key_file: '/node-key' }, bastion)
    expect(node.jump).to.deep.include({ address: '192.0.2.1', user: 'jump', privateKeyFile: '/node-key', port: 22 })
    expect(addressFromVars('bastion', bastion.vars, bastion).jump).to.equal(undefined)
  })

  it("prefers the host's own ProxyJump chain to the bastion group", () => {
    const node = addressFromVars('node1', { ansible_user: 'u', ansible_ssh_common_args: '-o ProxyJump=a@j1:2200,j2' }, { name: 'b', vars: {} })
    expect(node.jump).to.deep.include({ address: 'j2', port: 22 })
    expect(node.jump!.jump).to.deep.include({ address: 'j1', user: 'a', port: 2200 })
  })

  it('reads ProxyCommand forms: ssh -W, ssh ... nc %h %p, with -p, -l, -i and -o options', () => {
    const w = jumpFromSshArgs(`-o ProxyCommand="ssh -W %h:%p -p 2201 -i /b-key ops@192.0.2.9"`, 'n')
    expect(w).to.deep.include({ address: '192.0.2.9', user: 'ops', port: 2201, privateKeyFile: '/b-key' })
    const nc = jumpFromSshArgs(`-o 'ProxyCommand=ssh -o User=admin bastion.example nc %h %p'`, 'n', '/node-key')
    expect(nc).to.deep.include({ address: 'bastion.example', user: 'admin', privateKeyFile: '/node-key' })
    expect(jumpFromSshArgs('-J [2001:db8::1]:2022', 'n')).to.deep.include({ address: '2001:db8::1', port: 2022 })
    expect(jumpFromSshArgs('-o StrictHostKeyChecking=no', 'n')).to.equal(undefined)
  })

  it('refuses a ProxyCommand it cannot follow, saying what works instead', () => {
    expect(() => jumpFromSshArgs('-o ProxyCommand="corkscrew proxy 8080 %h %p"', 'n')).to.throw(InventoryError, /not supported.*ProxyJump=user@bastion/)
    expect(() => jumpFromSshArgs('-o ProxyCommand="ssh bastion"', 'n')).to.throw(InventoryError, /not supported/)
    expect(() => jumpFromSshArgs('-o "ProxyCommand=ssh', 'n')).to.throw(InventoryError, /cannot read ssh arguments/)
  })

  it('finds the known_hosts files ssh arguments name, leaving out /dev/null', () => {
    expect(knownHostsFromSshArgs('-o UserKnownHostsFile="/a /b" -oUserKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes', 'n'))
      .to.deep.equal(['/a', '/b'])
  })

  it('lists every variable it reads, so a caller can look them up in a scope', () => {
    // Nothing set: every alias of every setting is read in turn.
    const read = new Set<string>()
    const spy = new Proxy({} as Record<string, unknown>, { get: (t, k) => { if (typeof k === 'string') read.add(k); return t[k as string] } })
    addressFromVars('n', spy)
    expect([...read].sort()).to.deep.equal([...CONNECTION_VARS].sort())
  })
})

describe('transport: connection variables with command-line defaults', () => {
  const cli = { remoteUser: 'cli-user', privateKeyFile: '/cli-key', sshPassword: 'cli-pw' }
  const of = (vars: Record<string, unknown>) => addressFromVars('n', connectionVars((k) => vars[k], cli))

  it('-u, --private-key and -k fill what the inventory leaves unset', () => {
    expect(of({})).to.include({ user: 'cli-user', privateKeyFile: '/cli-key', password: 'cli-pw' })
  })

  it('any name the inventory sets wins over the command line, old ansible_ssh_* names too', () => {
    expect(of({ ansible_user: 'inv' })).to.include({ user: 'inv' })
    expect(of({ ansible_ssh_user: 'old', ansible_ssh_private_key_file: '/inv-key', ansible_ssh_pass: 'inv-pw' }))
      .to.include({ user: 'old', privateKeyFile: '/inv-key', password: 'inv-pw' })
  })
})
