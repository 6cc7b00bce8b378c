import { expect } from 'chai'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import * as pf from '../../../../src/sandbox/emulated/kubeadm/preflight.js'
import { defaultRouteInterface } from '../../../../src/sandbox/emulated/kubeadm/node-address.js'
import { requiredImages } from '../../../../src/sandbox/emulated/kubeadm/images.js'
import { clusterModel } from '../../../../src/sandbox/emulated/kubeadm/config-model.js'
import { parseKubeVersion } from '../../../../src/sandbox/emulated/versions.js'
import { useEmulationRoot } from '../../../harness/emulation-root.js'

describe('emulated kubeadm preflight', () => {
  const at = useEmulationRoot('preflight', ['proc/sys/net/ipv4'])

  const lines: string[] = []
  const log = (s: string) => lines.push(s)

  it('names the sysctl checks as kubeadm does and fails unless the value is 1', async () => {
    const bridge = pf.checkFileContent('/proc/sys/net/bridge/bridge-nf-call-iptables', '1')
    expect(bridge.name).to.equal('FileContent--proc-sys-net-bridge-bridge-nf-call-iptables')
    expect((await bridge.run()).errors).to.deep.equal(['/proc/sys/net/bridge/bridge-nf-call-iptables does not exist'])
    writeFileSync(at('proc/sys/net/ipv4/ip_forward'), '0\n')
    expect((await pf.checkFileContent('/proc/sys/net/ipv4/ip_forward', '1').run()).errors).to.deep.equal(['/proc/sys/net/ipv4/ip_forward contents are not set to 1'])
    writeFileSync(at('proc/sys/net/ipv4/ip_forward'), '1\n')
    expect((await pf.checkFileContent('/proc/sys/net/ipv4/ip_forward', '1').run()).errors).to.deep.equal([])
  })

  it('fails on swap when the kubelet would refuse it, warns otherwise', async () => {
    writeFileSync(at('proc/swaps'), 'Filename Type Size Used Priority\n/swapfile file 1024 0 -2\n')
    expect((await pf.checkSwap(true).run()).errors[0]).to.contain('running with swap on is not supported')
    const relaxed = await pf.checkSwap(false).run()
    expect(relaxed.errors).to.deep.equal([])
    expect(relaxed.warnings[0]).to.contain('swap is supported for cgroup v2 only')
  })

  it('finds a busy port and a non-empty etcd data dir', async () => {
    const srv: Server = createServer()
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()))
    const port = (srv.address() as { port: number }).port
    expect((await pf.checkPort(port).run()).errors).to.deep.equal([`Port ${port} is in use`])
    await new Promise<void>((r) => srv.close(() => r()))
    expect((await pf.checkPort(port).run()).errors).to.deep.equal([])
    mkdirSync(at('var/lib/etcd/member'), { recursive: true })
    const dir = pf.checkDirAvailable('/var/lib/etcd')
    expect(dir.name).to.equal('DirAvailable--var-lib-etcd')
    expect((await dir.run()).errors).to.deep.equal(['/var/lib/etcd is not empty'])
  })

  it('reports the CRI as down when nothing answers on the socket', async () => {
    const r = await pf.checkCri(`unix://${at('none.sock')}`).run()
    expect(r.errors[0]).to.contain('could not connect to the container runtime')
  })

  it('collects fatal errors into kubeadm\'s message and honours --ignore-preflight-errors', async () => {
    const failing: pf.Check = { name: 'Swap', run: () => ({ warnings: [], errors: ['boom'] }) }
    let msg = ''
    await pf.runChecks([failing], [], log).catch((e: Error) => (msg = e.message))
    expect(msg).to.equal('[preflight] Some fatal errors occurred:\n\t[ERROR Swap]: boom\n[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`')
    lines.length = 0
    await pf.runChecks([failing], ['swap'], log)
    expect(lines).to.deep.equal(['\t[WARNING Swap]: boom'])
    await pf.runChecks([failing], ['all'], log)
  })

  it('finds the default-route interface in /proc/net/route', () => {
    const table = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\nhost0\t00E7A00A\t00000000\t0001\t0\t0\t0\t00FFFFFF\neth1\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\n'
    expect(defaultRouteInterface(table)).to.equal('eth1')
    expect(defaultRouteInterface(table.split('\n').slice(0, 2).join('\n'))).to.equal(undefined)
  })

  it('lists the images of the version, honouring repository and tag overrides', () => {
    const v = parseKubeVersion('1.32.13')!
    expect(requiredImages(clusterModel({ kubernetesVersion: 'v1.31.2' }, 'kubeadm.k8s.io/v1beta4', v))).to.deep.equal([
      'registry.k8s.io/kube-apiserver:v1.31.2', 'registry.k8s.io/kube-controller-manager:v1.31.2',
      'registry.k8s.io/kube-scheduler:v1.31.2', 'registry.k8s.io/kube-proxy:v1.31.2',
      'registry.k8s.io/coredns/coredns:v1.11.3', 'registry.k8s.io/pause:3.10', 'registry.k8s.io/etcd:3.5.21-0',
    ])
    const custom = requiredImages(clusterModel({
      imageRepository: 'mirror.local:5000', dns: { imageTag: 'v1.12.0' }, proxy: { disabled: true },
      etcd: { external: { endpoints: ['https://e:2379'] } },
    }, 'kubeadm.k8s.io/v1beta4', v))
    expect(custom).to.deep.equal([
      'mirror.local:5000/kube-apiserver:v1.32.13', 'mirror.local:5000/kube-controller-manager:v1.32.13',
      'mirror.local:5000/kube-scheduler:v1.32.13', 'mirror.local:5000/coredns:v1.12.0', 'mirror.local:5000/pause:3.10',
    ])
  })
})
