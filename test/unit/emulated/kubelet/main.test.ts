import { expect } from 'chai'
import { writeFileSync } from 'node:fs'
import { useEmulationRoot } from '../../../harness/emulation-root.js'
import { kubeletFlags, loadKubeletConfig } from '../../../../src/sandbox/emulated/kubelet/main.js'

describe('emulated kubelet flags and config', () => {
  const at = useEmulationRoot('kubelet', ['var/lib/kubelet', 'etc/default'])

  it('takes its flags from its command line only, never from the environment files a unit may forget', () => {
    writeFileSync(at('var/lib/kubelet/kubeadm-flags.env'), 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/c.sock --node-ip=10.0.0.1"\n')
    writeFileSync(at('etc/default/kubelet'), 'KUBELET_EXTRA_ARGS="--network-plugin=cni --node-labels=a=b"\n')
    const f = kubeletFlags(['--config=/var/lib/kubelet/config.yaml', '--node-ip=10.0.0.3'])
    expect(f['container-runtime-endpoint']).to.equal(undefined)
    expect(f['node-labels']).to.equal(undefined)
    expect(f['node-ip']).to.equal('10.0.0.3')
  })

  it('rejects an unknown or removed flag with the kubelet message', () => {
    expect(() => kubeletFlags(['--network-plugin=cni'])).to.throw('failed to parse kubelet flag: unknown flag: --network-plugin')
    expect(() => kubeletFlags(['--container-runtime=remote'])).to.throw('failed to parse kubelet flag: unknown flag: --container-runtime')
  })

  it('refuses a KubeletConfiguration of another API version', () => {
    writeFileSync(at('var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1alpha1\nkind: KubeletConfiguration\n')
    expect(() => loadKubeletConfig('/var/lib/kubelet/config.yaml', 32)).to.throw('no kind "KubeletConfiguration" is registered for version "kubelet.config.k8s.io/v1alpha1"')
  })

  it('refuses to start without its config file, or with a config field it does not know', () => {
    expect(() => loadKubeletConfig('/var/lib/kubelet/config.yaml', 32)).to.throw('failed to load kubelet config file, path: /var/lib/kubelet/config.yaml')
    writeFileSync(at('var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nfailSwapon: false\n')
    expect(() => loadKubeletConfig('/var/lib/kubelet/config.yaml', 32)).to.throw('failed to decode: strict decoding error: unknown field "failSwapon"')
    writeFileSync(at('var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nfailSwapOn: false\n')
    expect(loadKubeletConfig('/var/lib/kubelet/config.yaml', 32).failSwapOn).to.equal(false)
  })
})
