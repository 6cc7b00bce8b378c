import { expect } from 'chai'
import { evictionRefusal, selectorMatches } from '../../../../src/sandbox/emulated/apiserver/eviction.js'

const pod = (name: string, labels: Record<string, string>, ready = false) => ({
  metadata: { name, namespace: 'default', labels }, spec: {}, status: ready ? { conditions: [{ type: 'Ready', status: 'True' }] } : {},
})
const pdb = (spec: Record<string, unknown>) => ({ metadata: { name: 'b', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'a' } }, ...spec } })
const VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget."

describe('emulated API server: eviction with PodDisruptionBudgets', () => {
  it('a pod no budget covers is evicted', () => {
    expect(evictionRefusal(pod('p', { app: 'b' }), [pdb({ minAvailable: 1 })], [pod('p', { app: 'b' })])).to.equal(undefined)
  })

  it('a budget wanting an available pod blocks the eviction of pods that are not running (none are here)', () => {
    const p = pod('p', { app: 'a' })
    expect(evictionRefusal(p, [pdb({ minAvailable: 1 })], [p])).to.equal(VIOLATES)
    expect(evictionRefusal(p, [pdb({ maxUnavailable: 0 })], [p])).to.equal(VIOLATES)
    expect(evictionRefusal(p, [pdb({ minAvailable: '100%' })], [p])).to.equal(VIOLATES)
  })

  it('a budget with room allows it: minAvailable 0, or enough Ready pods beside it', () => {
    const p = pod('p', { app: 'a' }, true)
    expect(evictionRefusal(p, [pdb({ minAvailable: 0 })], [p])).to.equal(undefined)
    expect(evictionRefusal(p, [pdb({ minAvailable: 1 })], [p, pod('q', { app: 'a' }, true)])).to.equal(undefined)
    expect(evictionRefusal(p, [pdb({ minAvailable: 2 })], [p, pod('q', { app: 'a' }, true)])).to.equal(VIOLATES)
  })

  it('two budgets over one pod refuse, as the eviction subresource does', () => {
    const p = pod('p', { app: 'a' })
    expect(evictionRefusal(p, [pdb({ minAvailable: 0 }), pdb({ minAvailable: 0 })], [p])).to.match(/more than one PodDisruptionBudget/)
  })

  it('label selectors: matchLabels and matchExpressions; no selector selects nothing', () => {
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, { tier: 'web' })).to.equal(true)
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, { tier: 'web' })).to.equal(false)
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, {})).to.equal(true)
    expect(selectorMatches(undefined, { app: 'a' })).to.equal(false)
  })
})
