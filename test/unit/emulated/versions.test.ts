import { expect } from 'chai'
import { checkControlPlaneVersion, checkKubeletVersion, checkUpgradeTarget, imageTagsByMinor, parseKubeVersion, type KubeVersion } from '../../../src/sandbox/emulated/versions.js'

const v = (s: string): KubeVersion => parseKubeVersion(s)!

describe('emulated Kubernetes version skew rules', () => {
  it('parses versions with and without v, and rejects others', () => {
    expect(v('v1.32.13')).to.deep.equal({ major: 1, minor: 32, patch: 13 })
    expect(v('1.31.0-rc.1')).to.deep.equal({ major: 1, minor: 31, patch: 0, pre: 'rc.1' })
    expect(parseKubeVersion('1.32')).to.equal(undefined)
    expect(parseKubeVersion('stable')).to.equal(undefined)
  })

  it('kubeadm deploys its own minor and the one before, warns about a newer one', () => {
    expect(checkControlPlaneVersion(v('1.32.0'), v('1.32.5'))).to.deep.equal({})
    expect(checkControlPlaneVersion(v('1.32.0'), v('1.31.9'))).to.deep.equal({})
    expect(checkControlPlaneVersion(v('1.32.0'), v('1.30.9')).error).to.equal(
      'this version of kubeadm only supports deploying clusters with the control plane version >= v1.31.0. Current version: v1.30.9')
    expect(checkControlPlaneVersion(v('1.32.0'), v('1.33.0')).warning).to.contain('Kubernetes version is greater than kubeadm version')
  })

  it('never accepts a kubelet newer than the control plane', () => {
    expect(checkKubeletVersion(v('1.32.1'), v('1.32.0'), v('1.32.0'))).to.equal(undefined)
    expect(checkKubeletVersion(v('1.31.0'), v('1.32.0'), v('1.32.0'))).to.equal(undefined)
    expect(checkKubeletVersion(v('1.33.0'), v('1.33.0'), v('1.32.4'))).to.contain('the kubelet version is higher than the control plane version')
    expect(checkKubeletVersion(v('1.28.9'), v('1.32.0'), v('1.32.0'))).to.contain('is lower than kubeadm can support')
  })

  it('upgrades one minor at a time with a kubeadm of the target minor', () => {
    expect(checkUpgradeTarget(v('1.31.4'), v('1.32.2'), v('1.32.2'))).to.deep.equal([])
    expect(checkUpgradeTarget(v('1.32.1'), v('1.32.2'), v('1.32.2'))).to.deep.equal([])
    expect(checkUpgradeTarget(v('1.30.4'), v('1.32.2'), v('1.32.2'))).to.deep.equal([
      'Specified version to upgrade to "v1.32.2" is too high; kubeadm can upgrade only 1 minor version at a time',
    ])
    expect(checkUpgradeTarget(v('1.31.4'), v('1.32.2'), v('1.31.9')).join()).to.contain('is higher than the kubeadm version "v1.31.9". Upgrade kubeadm first')
    expect(checkUpgradeTarget(v('1.32.4'), v('1.31.2'), v('1.32.4')).join()).to.contain('is lower than the minimum supported version "v1.32.4"')
  })

  it('covers the releases kubespray master supports (1.34 to 1.36) with kubeadm\'s image tags and skew', () => {
    expect(imageTagsByMinor[34]).to.deep.equal({ etcd: '3.6.4-0', coredns: 'v1.12.1', pause: '3.10.1' })
    expect(imageTagsByMinor[35]).to.deep.equal({ etcd: '3.6.6-0', coredns: 'v1.13.1', pause: '3.10.1' })
    expect(imageTagsByMinor[36]).to.deep.equal({ etcd: '3.6.8-0', coredns: 'v1.14.2', pause: '3.10.2' })
    expect(checkControlPlaneVersion(v('1.36.4'), v('1.35.8'))).to.deep.equal({})
    expect(checkControlPlaneVersion(v('1.36.4'), v('1.34.11')).error).to.contain('control plane version >= v1.35.0')
    expect(checkUpgradeTarget(v('1.35.8'), v('1.36.4'), v('1.36.4'))).to.deep.equal([])
    expect(checkUpgradeTarget(v('1.34.11'), v('1.36.4'), v('1.36.4')).join()).to.contain('too high')
    expect(checkKubeletVersion(v('1.33.9'), v('1.36.4'), v('1.36.4'))).to.equal(undefined)
    expect(checkKubeletVersion(v('1.32.9'), v('1.36.4'), v('1.36.4'))).to.contain('is lower than kubeadm can support')
  })
})
