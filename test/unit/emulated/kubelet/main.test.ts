import { expect } from 'chai'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { envFileVar, kubeletFlags, loadKubeletConfig } from '../../../../src/sandbox/emulated/kubelet/main.js'

describe('emulated kubelet flags and config', () => {
  let root: string
  const saved = process.env.KUBESEED_EMULATION_ROOT
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kubeseed-kubelet-'))
    process.env.KUBESEED_EMULATION_ROOT = root
    mkdirSync(join(root, 'var/lib/kubelet'), { recursive: true })
    mkdirSync(join(root, 'etc/default'), { recursive: true })
  })
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBESEED_EMULATION_ROOT
    else process.env.KUBESEED_EMULATION_ROOT = saved
    rmSync(root, { recursive: true, force: true })
  })

  it('reads environment files as systemd does', () => {
    expect(envFileVar('# x\nKUBELET_KUBEADM_ARGS="--a=1 --b=2"\n', 'KUBELET_KUBEADM_ARGS')).to.equal('--a=1 --b=2')
    expect(envFileVar('KUBELET_EXTRA_ARGS=--c\n', 'KUBELET_EXTRA_ARGS')).to.equal('--c')
    expect(envFileVar(undefined, 'X')).to.equal('')
  })

  it('merges kubeadm-flags.env, /etc/default/kubelet and argv, argv last', () => {
    writeFileSync(join(root, 'var/lib/kubelet/kubeadm-flags.env'), 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/c.sock --node-ip=10.0.0.1"\n')
    writeFileSync(join(root, 'etc/default/kubelet'), 'KUBELET_EXTRA_ARGS="--node-labels=a=b --node-ip=10.0.0.2"\n')
    const f = kubeletFlags(['--config=/var/lib/kubelet/config.yaml', '--node-ip=10.0.0.3'])
    expect(f['container-runtime-endpoint']).to.equal('unix:///run/c.sock')
    expect(f['node-labels']).to.equal('a=b')
    expect(f['node-ip']).to.equal('10.0.0.3')
  })

  it('rejects an unknown or removed flag wherever it comes from, with the kubelet message', () => {
    writeFileSync(join(root, 'etc/default/kubelet'), 'KUBELET_EXTRA_ARGS="--network-plugin=cni"\n')
    expect(() => kubeletFlags([])).to.throw('failed to parse kubelet flag: unknown flag: --network-plugin')
    writeFileSync(join(root, 'etc/default/kubelet'), '')
    expect(() => kubeletFlags(['--container-runtime=remote'])).to.throw('failed to parse kubelet flag: unknown flag: --container-runtime')
  })

  it('refuses to start without its config file, or with a config field it does not know', () => {
    expect(() => loadKubeletConfig('/var/lib/kubelet/config.yaml', 32)).to.throw('failed to load kubelet config file, path: /var/lib/kubelet/config.yaml')
    writeFileSync(join(root, 'var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nfailSwapon: false\n')
    expect(() => loadKubeletConfig('/var/lib/kubelet/config.yaml', 32)).to.throw('failed to decode: strict decoding error: unknown field "failSwapon"')
    writeFileSync(join(root, 'var/lib/kubelet/config.yaml'), 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nfailSwapOn: false\n')
    expect(loadKubeletConfig('/var/lib/kubelet/config.yaml', 32).failSwapOn).to.equal(false)
  })
})
