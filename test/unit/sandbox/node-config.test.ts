import { expect } from 'chai'
import { renderEtcHosts, renderHost0Network } from '../../../src/sandbox/node-config.js'

describe('sandbox node config', () => {
  it('gives host0 a static address and no gateway, so the node has no default route', () => {
    const text = renderHost0Network({ name: 'node1', address: '10.231.0.2', prefix: 24 })
    expect(text).to.match(/^\[Match\]\nName=host0\n/)
    expect(text).to.include('Address=10.231.0.2/24')
    expect(text).not.to.match(/Gateway|DHCP=(yes|ipv4)/)
  })

  it('resolves localhost, the bastion and every node', () => {
    const text = renderEtcHosts([{ name: 'node1', address: '10.231.0.2' }, { name: 'node2', address: '10.231.0.3' }], '10.231.0.1')
    expect(text.split('\n')).to.include.members(['127.0.0.1\tlocalhost', '10.231.0.1\tbastion', '10.231.0.2\tnode1', '10.231.0.3\tnode2'])
  })
})
