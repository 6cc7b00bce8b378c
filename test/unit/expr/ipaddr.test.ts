import { expect } from 'chai'
import fc from 'fast-check'
import { cidrHost } from '../../../src/engine/expr/index.js'
import { formatIp, parseIp } from '../../../src/engine/ip-address.js'

describe('IP address arithmetic', () => {
  it('writes IPv6 addresses exactly as the WHATWG URL parser normalises them', () => {
    const group = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff }))
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const long = groups.map((g) => g.toString(16)).join(':')
        const n = parseIp(long)!
        const ours = formatIp(6, n.ip)
        expect(ours).to.equal(new URL(`http://[${long}]/`).hostname.slice(1, -1))
        expect(parseIp(ours)!.ip).to.equal(n.ip)
      }),
      { numRuns: 300 },
    )
  })

  it('parses and writes IPv4 addresses back unchanged', () => {
    fc.assert(
      fc.property(fc.ipV4(), (a) => {
        expect(formatIp(4, parseIp(a)!.ip)).to.equal(a)
      }),
    )
  })

  it('rejects malformed addresses and prefixes', () => {
    for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', '1.2.3.4/33', 'fe80::1::2', 'g::1', '1:2:3:4:5:6:7:8:9', '10.0.0.0/8/8', '', 'host']) {
      expect(parseIp(bad), bad).to.equal(undefined)
    }
    expect(parseIp('10.0.0.0/255.255.0.0')!.prefix).to.equal(16)
    expect(parseIp('::ffff:10.0.0.1')!.version).to.equal(6)
  })

  it('finds the Nth host of IPv4 and IPv6 CIDRs', () => {
    expect(cidrHost('10.233.0.0/18', 1)).to.equal('10.233.0.1')
    expect(cidrHost('10.233.0.0/18', 3)).to.equal('10.233.0.3')
    expect(cidrHost('192.168.1.77/24', 0)).to.equal('192.168.1.0')
    expect(cidrHost('fd85:ee78:d8a6:8607::1000/116', 1)).to.equal('fd85:ee78:d8a6:8607::1001')
    expect(cidrHost('fd00::/64', -1)).to.equal('fd00::ffff:ffff:ffff:ffff')
    expect(() => cidrHost('10.0.0.0/31', 2)).to.throw(/holds 2/)
  })
})
