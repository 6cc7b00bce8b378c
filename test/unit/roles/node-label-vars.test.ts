// node_labels and node_taints are sent to the API only where the Node differs, so a converged node is left
// alone; control planes that are not workers keep kubespray's control-plane taint.

import { expect } from 'chai'
import { clusterScopes } from './cluster-scope.js'

const ROLES = ['kubernetes/node-label']
const node = (labels: Record<string, string>, taints: { key: string; value?: string; effect: string }[] = []) =>
  ({ metadata: { name: 'x', labels }, spec: taints.length ? { taints } : {} })

describe('node labels and taints (kubernetes/node-label)', () => {
  it('a fresh worker gets every label and taint of the inventory', () => {
    const s = clusterScopes(ROLES, { node_labels: { 'node-role.kubernetes.io/worker': '', zone: 'a' }, node_taints: ['dedicated=infra:NoSchedule'], node_label_node: node({ 'kubernetes.io/hostname': 'w1' }) })('w1')
    expect(s.get('node_labels_missing')).to.deep.equal(['node-role.kubernetes.io/worker=', 'zone=a'])
    expect(s.get('node_taints_missing')).to.deep.equal(['dedicated=infra:NoSchedule'])
  })

  it('a converged node needs nothing; a changed value is sent again', () => {
    const have = node({ zone: 'a', tier: 'web' }, [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }])
    const same = clusterScopes(ROLES, { node_labels: { zone: 'a' }, node_taints: ['dedicated=infra:NoSchedule'], node_label_node: have })('w2')
    expect(same.get('node_labels_missing')).to.deep.equal([])
    expect(same.get('node_taints_missing')).to.deep.equal([])
    const changed = clusterScopes(ROLES, { node_labels: { zone: 'b', replicas: 3 }, node_taints: ['gpu:NoExecute'], node_label_node: have })('w2')
    expect(changed.get('node_labels_missing')).to.deep.equal(['zone=b', 'replicas=3'])
    expect(changed.get('node_taints_missing')).to.deep.equal(['gpu:NoExecute'])
  })

  it('a control plane that is not a worker gets the NoSchedule control-plane taint, kept once it has it', () => {
    const fresh = clusterScopes(ROLES, { node_label_node: node({}) })('cp1')
    expect(fresh.get('node_taints_missing')).to.deep.equal(['node-role.kubernetes.io/control-plane:NoSchedule'])
    const tainted = clusterScopes(ROLES, { node_label_node: node({}, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]) })('cp1')
    expect(tainted.get('node_taints_missing')).to.deep.equal([])
    expect(clusterScopes(ROLES, { node_label_node: node({}) })('w1').get('node_taints_missing')).to.deep.equal([])
  })

  it('a control plane that is also a worker is not tainted', () => {
    const cluster = { groups: { kube_control_plane: ['cp1'], kube_node: ['cp1'], k8s_cluster: ['cp1'] }, hostvars: { cp1: { ip: '10.231.19.2' } } }
    expect(clusterScopes(ROLES, { node_label_node: node({}) }, cluster)('cp1').get('node_taints_missing')).to.deep.equal([])
  })
})
