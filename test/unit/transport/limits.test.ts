import { expect } from 'chai'
import { UsageError } from '../../../src/engine/errors.js'
import { forksFor, handshakesAtOnce, HANDSHAKES_PER_SSHD, parseOpenFilesLimit, RESERVED_FILES } from '../../../src/engine/transport/limits.js'

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`

describe('hosts in flight: open files and sshd MaxStartups', () => {
  it('reads the soft open-files limit; unlimited or missing is no limit', () => {
    expect(parseOpenFilesLimit(LIMITS)).to.equal(1024)
    expect(parseOpenFilesLimit(LIMITS.replace('1024   ', 'unlimited'))).to.equal(undefined)
    expect(parseOpenFilesLimit('nothing here')).to.equal(undefined)
  })

  it('by default has up to 50 hosts in flight; --forks is taken as given', () => {
    expect(forksFor({ hosts: 500, openFiles: 1024 })).to.equal(50)
    expect(forksFor({ hosts: 3, openFiles: 1024 })).to.equal(3)
    expect(forksFor({ hosts: 0, openFiles: 1024 })).to.equal(1)
    expect(forksFor({ requested: 200, hosts: 500, openFiles: 1024 })).to.equal(200)
    expect(forksFor({ hosts: 5000 })).to.equal(50)
  })

  it('refuses before any connection when the hosts cannot all stay connected, with the numbers and what to do', () => {
    const hosts = 1024 - RESERVED_FILES + 1
    expect(() => forksFor({ hosts, openFiles: 1024 })).to.throw(UsageError)
      .with.property('message').that.includes(`${hosts} hosts need about ${hosts + RESERVED_FILES} open files`)
      .and.includes('limit is 1024').and.includes(`ulimit -n ${hosts + RESERVED_FILES}`)
    expect(forksFor({ hosts: hosts - 1, openFiles: 1024 })).to.equal(50)
  })

  it('paces handshakes below sshd\'s default MaxStartups (10) per sshd, and by the cores in all', () => {
    expect(HANDSHAKES_PER_SSHD).to.be.below(10)
    expect(handshakesAtOnce(2)).to.equal(16)
    expect(handshakesAtOnce(1)).to.equal(8)
  })
})
