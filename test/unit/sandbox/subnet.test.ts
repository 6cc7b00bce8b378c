import { expect } from 'chai'
import { bastionAddress, contains, nodeAddress, nodeCapacity, parseSubnet } from '../../../src/sandbox/subnet.js'

describe('sandbox subnet', () => {
  it('gives the bastion .1 and node i the address .(i+2)', () => {
    const s = parseSubnet('10.231.0.0/24')
    expect(bastionAddress(s)).to.equal('10.231.0.1')
    expect(nodeAddress(s, 0)).to.equal('10.231.0.2')
    expect(nodeAddress(s, 252)).to.equal('10.231.0.254')
    expect(nodeCapacity(s)).to.equal(253)
  })

  it('crosses octet boundaries in larger subnets', () => {
    const s = parseSubnet('10.232.0.0/16')
    expect(nodeAddress(s, 300)).to.equal('10.232.1.46')
    expect(contains(s, '10.232.200.9')).to.equal(true)
    expect(contains(s, '10.233.0.1')).to.equal(false)
  })

  it('refuses a node beyond the subnet, host bits, and nonsense', () => {
    expect(() => nodeAddress(parseSubnet('10.231.0.0/29'), 5)).to.throw(/room for 5 nodes/)
    expect(() => parseSubnet('10.231.0.7/24')).to.throw(/host bits set.*10\.231\.0\.0\/24/)
    expect(() => parseSubnet('10.231.0.0')).to.throw(/bad sandbox subnet/)
    expect(() => parseSubnet('10.300.0.0/24')).to.throw(/bad sandbox subnet/)
    expect(() => parseSubnet('10.0.0.0/30')).to.throw(/prefix from \/8 to \/29/)
  })
})
