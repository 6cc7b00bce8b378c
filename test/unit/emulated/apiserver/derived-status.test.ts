import { expect } from 'chai'
import { daemonSetNodes, withNodeLifecycle } from '../../../../src/sandbox/emulated/apiserver/derived-status.js'

const node = (name: string, labels: Record<string, string>, taints: Array<Record<string, string>> = []) => ({ metadata: { name, labels }, spec: { taints } })

describe('status the emulated controllers would maintain', () => {
  it('turns a node Unknown once its kubelet stopped posting for the grace period', () => {
    const at = Date.parse('2026-01-01T00:00:00Z')
    const n = { metadata: { name: 'w1' }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] } }
    expect(withNodeLifecycle(n, at + 49_000)).to.equal(n)
    const stale = withNodeLifecycle(n, at + 51_000)
    expect(stale.status.conditions[0]).to.include({ status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' })
  })

  it('places DaemonSet pods by nodeSelector and taints, with the tolerations the controller adds', () => {
    const nodes = [
      node('cp1', { 'kubernetes.io/os': 'linux' }, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]),
      node('w1', { 'kubernetes.io/os': 'linux' }, [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }]),
      node('w2', { 'kubernetes.io/os': 'windows' }),
      node('w3', { 'kubernetes.io/os': 'linux' }, [{ key: 'dedicated', value: 'db', effect: 'PreferNoSchedule' }]),
    ]
    const ds = (spec: Record<string, unknown>) => ({ spec: { template: { spec: spec } } })
    expect(daemonSetNodes(ds({ nodeSelector: { 'kubernetes.io/os': 'linux' } }), nodes)).to.deep.equal(['w1', 'w3'])
    expect(daemonSetNodes(ds({ tolerations: [{ operator: 'Exists' }] }), nodes)).to.deep.equal(['cp1', 'w1', 'w2', 'w3'])
    expect(daemonSetNodes(ds({ tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { 'kubernetes.io/os': 'linux' } }), nodes)).to.deep.equal(['cp1', 'w1', 'w3'])
  })
})
