// any_errors_fatal and a block's rescue, as Ansible has them: a failure the rescue handles does not stop the
// play; one the rescue does not handle does.

import { expect } from 'chai'
import { playLocal } from '../../harness/play.js'

const play = (rescueFails: boolean) => `
- hosts: g
  gather_facts: false
  any_errors_fatal: true
  tasks:
    - block:
        - name: fails on h1
          fail: { msg: boom }
          when: inventory_hostname == 'h1'
      rescue:
        - name: rescue
          debug: { msg: rescued }
        - name: rescue fails too
          fail: { msg: "still broken" }
          when: ${rescueFails}
    - name: after
      debug: { msg: after }
`

describe('run: any_errors_fatal waits for a block\'s rescue', () => {
  it('a rescued failure lets the play go on for every host', async () => {
    const o = await playLocal(play(false), { hosts: ['h1', 'h2'] })
    expect(o.code).to.equal(0)
    expect(o.results.filter((r) => r.task === 'after').map((r) => r.host)).to.deep.equal(['h1', 'h2'])
    expect(o.results.filter((r) => r.task === 'rescue').map((r) => r.host)).to.deep.equal(['h1'])
  })

  it('a failure the rescue does not mend stops the play', async () => {
    const o = await playLocal(play(true), { hosts: ['h1', 'h2'] })
    expect(o.code).to.equal(2)
    expect(o.results.filter((r) => r.task === 'rescue').map((r) => r.host)).to.deep.equal(['h1'])
    expect(o.results.filter((r) => r.task === 'after')).to.deep.equal([])
  })
})
