import { expect } from 'chai'
import { nodeReadiness } from '../../../../src/sandbox/emulated/kubelet/node-readiness.js'

const runtimeReady = { type: 'RuntimeReady', status: true, reason: '', message: '' }
const networkReady = { type: 'NetworkReady', status: true, reason: '', message: '' }

describe('emulated kubelet Ready condition', () => {
  it('is Ready only with the runtime answering, its conditions true and a CNI config present', () => {
    expect(nodeReadiness({ conditions: [runtimeReady, networkReady] }, ['10-calico.conflist'])).to.deep.equal({ ready: true, reason: 'KubeletReady', message: 'kubelet is posting ready status' })
  })

  it('says why not as the kubelet does', () => {
    expect(nodeReadiness({ conditions: [runtimeReady, networkReady] }, []).message).to.equal(
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized')
    const cniMissing = { type: 'NetworkReady', status: false, reason: 'NetworkPluginNotReady', message: 'Network plugin returns error: cni plugin not initialized' }
    expect(nodeReadiness({ conditions: [runtimeReady, cniMissing] }, ['10-calico.conflist']).ready).to.equal(false)
    const down = nodeReadiness({ down: 'connect ENOENT /run/containerd/containerd.sock', conditions: [] }, ['10-calico.conflist'])
    expect(down).to.deep.equal({ ready: false, reason: 'KubeletNotReady', message: 'container runtime is down: connect ENOENT /run/containerd/containerd.sock' })
  })
})
