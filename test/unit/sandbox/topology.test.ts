import { expect } from 'chai'
import { planTopology } from '../../../src/sandbox/topology.js'

const nodes = (n: number) => Array.from({ length: n }, (_, i) => `node${i + 1}`)

describe('sandbox topology', () => {
  it('uses one control plane and etcd member up to four nodes, the others are workers', () => {
    expect(planTopology(nodes(3))).to.deep.equal({ controlPlanes: ['node1'], etcd: ['node1'], workers: ['node2', 'node3'] })
    expect(planTopology(nodes(4)).controlPlanes).to.deep.equal(['node1'])
  })

  it('uses three control planes from five nodes on, keeping etcd odd', () => {
    const t = planTopology(nodes(5))
    expect(t.controlPlanes).to.deep.equal(['node1', 'node2', 'node3'])
    expect(t.etcd).to.deep.equal(t.controlPlanes)
    expect(t.workers).to.deep.equal(['node4', 'node5'])
  })

  it('makes a lone node everything', () => {
    expect(planTopology(nodes(1))).to.deep.equal({ controlPlanes: ['node1'], etcd: ['node1'], workers: ['node1'] })
  })

  it('takes counts or names as overrides', () => {
    const t = planTopology(nodes(6), 2, ['node4', 'node5', 'node6'])
    expect(t).to.deep.equal({ controlPlanes: ['node1', 'node2'], etcd: ['node4', 'node5', 'node6'], workers: ['node3', 'node4', 'node5', 'node6'] })
  })

  it('rejects counts out of range and unknown nodes, naming the choices', () => {
    expect(() => planTopology(nodes(3), 4)).to.throw(/control planes: 4 is not a count between 1 and 3/)
    expect(() => planTopology(nodes(3), undefined, ['node9'])).to.throw(/unknown node node9.*node1, node2, node3/)
    expect(() => planTopology([])).to.throw(/at least one node/)
  })
})
