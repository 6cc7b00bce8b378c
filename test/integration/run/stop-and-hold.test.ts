// Ctrl-C between tasks, and the hosts a run leaves held (kubeseed_hold), on local-connection hosts.

import { expect } from 'chai'
import { playLocal } from '../../harness/play.js'

const HOLDING = `
- hosts: g
  gather_facts: false
  serial: 1
  tasks:
    - name: take
      command: "true"
    - name: hold
      set_fact: { kubeseed_hold: "taken by the test" }
    - name: fail here
      fail: { msg: "stopped while holding" }
      when: fail_while_holding | default(false) | bool
    - name: give back
      command: "true"
    - name: release
      set_fact: { kubeseed_hold: "" }
`

describe('run: stop between tasks and held hosts', () => {
  it('a completed run holds nothing', async () => {
    const o = await playLocal(HOLDING, { hosts: ['h1', 'h2'] })
    expect(o.code).to.equal(0)
    expect(o.recap.held).to.deep.equal({})
    expect(o.recap.interrupted).to.equal(undefined)
  })

  it('Ctrl-C: the running task finishes, set_fact still records it, nothing else starts; exit 130 naming the held host', async () => {
    const o = await playLocal(HOLDING, { hosts: ['h1', 'h2'], stopAfter: (e) => e.type === 'result' && e.task === 'take' && e.host === 'h1' })
    expect(o.code).to.equal(130)
    expect(o.recap.interrupted).to.equal(true)
    expect(o.recap.ok).to.equal(false)
    expect(o.results.map((r) => `${r.host} ${r.task}`)).to.deep.equal(['h1 take', 'h1 hold'])
    expect(o.recap.held).to.deep.equal({ h1: 'taken by the test' })
  })

  it('a host that fails while held is named too', async () => {
    const o = await playLocal(HOLDING, { hosts: ['h1'], extraVars: { fail_while_holding: true } })
    expect(o.code).to.equal(2)
    expect(o.recap.held).to.deep.equal({ h1: 'taken by the test' })
  })

  it('pause waits the seconds asked for and changes nothing', async () => {
    const t0 = Date.now()
    const o = await playLocal('- hosts: g\n  gather_facts: false\n  tasks:\n    - pause: { seconds: 0.3 }\n', { hosts: ['h1'] })
    expect(o.code).to.equal(0)
    expect(Date.now() - t0).to.be.greaterThanOrEqual(300)
    expect(o.results.map((r) => r.status)).to.deep.equal(['ok'])
  })
})
