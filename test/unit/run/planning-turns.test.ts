import { expect } from 'chai'
import { PlanningTurns } from '../../../src/engine/run/planning-turns.js'

describe('planning turns', () => {
  it('gives turns in the order asked, with I/O callbacks served between two turns', async () => {
    const turns = new PlanningTurns()
    const log: string[] = []
    // An I/O callback that becomes due while the first host plans.
    const io = (label: string) => new Promise<void>((resolve) => { setImmediate(() => { log.push(label); resolve() }) })
    await Promise.all(['a', 'b', 'c'].map(async (h) => {
      await turns.next()
      log.push(`plan ${h}`)
      if (h === 'a') void io('io after a')
    }))
    expect(log).to.deep.equal(['plan a', 'io after a', 'plan b', 'plan c'])
  })
})
