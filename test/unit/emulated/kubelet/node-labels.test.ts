import { expect } from 'chai'
import { parseNodeLabels } from '../../../../src/sandbox/emulated/kubelet/node-labels.js'

describe('emulated kubelet --node-labels', () => {
  it('accepts its own label namespaces and any label outside kubernetes.io and k8s.io', () => {
    expect(parseNodeLabels('node.kubernetes.io/exclude-from-external-load-balancers=,topology.kubernetes.io/zone=a,example.com/tier=db'))
      .to.deep.equal({ 'node.kubernetes.io/exclude-from-external-load-balancers': '', 'topology.kubernetes.io/zone': 'a', 'example.com/tier': 'db' })
    expect(parseNodeLabels(undefined)).to.deep.equal({})
  })

  it('refuses node-role and other kubernetes.io labels the kubelet may not set, with its message', () => {
    expect(() => parseNodeLabels('node-role.kubernetes.io/worker=,a.k8s.io/b=c')).to.throw(
      "failed to validate kubelet flags: unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [a.k8s.io/b node-role.kubernetes.io/worker]\n--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (kubelet.kubernetes.io, node.kubernetes.io)")
  })
})
