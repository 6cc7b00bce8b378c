import { expect } from 'chai'
import { valueProblem } from '../../../src/engine/inventory/kubespray-values.js'

describe('kubespray values that reach kubeadm', () => {
  it('accepts the forms kubespray uses, including numbers written as strings and templates judged later', () => {
    for (const [name, v] of [['kube_version', 'v1.31.4'], ['kube_version', '1.32'], ['kube_apiserver_port', 6443], ['kube_apiserver_port', '6443'],
      ['kube_proxy_mode', 'ipvs'], ['kube_network_node_prefix', 24], ['kube_apiserver_port', '{{ port }}'], ['unknown_var', 'x']] as const) {
      expect(valueProblem(name, v), `${name}=${v}`).to.equal(undefined)
    }
  })

  it('names what was expected for a value of the wrong type or form', () => {
    expect(valueProblem('kube_apiserver_port', 'six')).to.equal('a whole number from 1 to 65535')
    expect(valueProblem('kube_apiserver_port', 70000)).to.equal('a whole number from 1 to 65535')
    expect(valueProblem('kube_proxy_mode', 'nftable')).to.equal('one of iptables, ipvs, nftables')
    expect(valueProblem('kube_version', 'latest')).to.equal('a Kubernetes version such as v1.31.4')
    expect(valueProblem('kube_proxy_strict_arp', 'yes please')).to.equal('true or false')
  })
})
