// The kubeadm documents cluster.yaml writes, rendered for every Kubernetes version of the offline manifest and
// decoded by the emulated kubeadm's strict decoder and its semantic checks: an unknown field, a wrong type or
// enum, a malformed token, hash or certificate key fails here before it fails on a node.

import { expect } from 'chai'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load, loadAll } from 'js-yaml'
import { KubeseedError } from '../../../src/engine/errors.js'
import type { Inventory } from '../../../src/engine/inventory/model.js'
import { prepareInventory } from '../../../src/engine/inventory/prepared.js'
import { printDefault } from '../../../src/kubeadm-config/print-default.js'
import { renderHostConfig } from '../../../src/kubeadm-config/render.js'
import { loadManifest, supportedReleases } from '../../../src/offline/manifest.js'
import { decodeConfigText } from '../../../src/sandbox/emulated/decode/documents.js'
import { initModel, joinModel } from '../../../src/sandbox/emulated/kubeadm/config-model.js'
import { parseKubeVersion } from '../../../src/sandbox/emulated/versions.js'

const HOSTS = `
all:
  hosts:
    cp1: { ansible_host: 10.0.0.11, ip: 10.0.0.11 }
    cp2: { ansible_host: 10.0.0.12, ip: 10.0.0.12 }
    cp3: { ansible_host: 10.0.0.13, ip: 10.0.0.13, access_ip: 192.168.5.13 }
    w1: { ansible_host: 10.0.0.21, ip: 10.0.0.21 }
    w2: { ansible_host: 10.0.0.22 }
  children:
    kube_control_plane: { hosts: { cp1: {}, cp2: {}, cp3: {} } }
    etcd: { hosts: { cp1: {}, cp2: {}, cp3: {} } }
    kube_node: { hosts: { w1: {}, w2: {} } }
    k8s_cluster: { children: { kube_control_plane: {}, kube_node: {} } }
`

type Doc = Record<string, any>
const docs = (text: string): Doc[] => (loadAll(text) as Doc[]).filter(Boolean)
const byKind = (text: string, kind: string): Doc => docs(text).find((d) => d.kind === kind)!
const minorOf = (v: string) => Number(v.split('.')[1])

function decodeAndCheck(text: string, kubeVersion: string, role: string): void {
  const minor = minorOf(kubeVersion)
  const cfg = decodeConfigText(text, minor)
  expect(cfg.warnings.filter((w) => /Ignored|deprecated/.test(w)), `${kubeVersion} ${role}`).to.deep.equal([])
  if (role === 'init') initModel(cfg, parseKubeVersion(kubeVersion)!)
  else joinModel(cfg)
}

describe('kubeadm documents (config render)', () => {
  let dir: string
  let inv: Inventory
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-render-'))
    writeFileSync(join(dir, 'hosts.yaml'), HOSTS)
    inv = prepareInventory([join(dir, 'hosts.yaml')], () => undefined)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  const render = (host: string, extra: Record<string, unknown> = {}) => renderHostConfig(inv, host, extra)

  const releases = supportedReleases(loadManifest())
  it('the manifest has releases to test', () => expect(releases.length).to.be.greaterThan(0))
  for (const { kubeVersion } of releases) {
    const api = minorOf(kubeVersion) >= 31 ? 'v1beta4' : 'v1beta3'
    it(`${kubeVersion}: init, control-plane join and worker join decode strictly as kubeadm.k8s.io/${api}`, () => {
      for (const [host, role] of [['cp1', 'init'], ['cp2', 'control-plane-join'], ['w1', 'worker-join'], ['w2', 'worker-join']] as const) {
        const r = render(host, { kube_version: kubeVersion })
        expect(r.role).to.equal(role)
        decodeAndCheck(r.text, kubeVersion, role)
        for (const d of docs(r.text).filter((x) => String(x.apiVersion).startsWith('kubeadm'))) expect(d.apiVersion).to.equal(`kubeadm.k8s.io/${api}`)
      }
      const cluster = byKind(render('cp1', { kube_version: kubeVersion }).text, 'ClusterConfiguration')
      if (api === 'v1beta4') {
        expect(cluster.apiServer.extraArgs).to.deep.include({ name: 'authorization-mode', value: 'Node,RBAC' })
        expect(cluster.encryptionAlgorithm).to.equal('RSA-2048')
      } else {
        expect(cluster.apiServer.extraArgs['authorization-mode']).to.equal('Node,RBAC')
        expect(cluster.apiServer.timeoutForControlPlane).to.equal('300s')
        expect(cluster).not.to.have.property('encryptionAlgorithm')
      }
      expect(cluster.kubernetesVersion).to.equal(`v${kubeVersion}`)
    })
    it(`${kubeVersion}: print-default decodes strictly`, () => {
      const text = printDefault([], kubeVersion)
      decodeAndCheck(text.split('---\n').filter((d) => !d.includes('JoinConfiguration')).join('---\n'), kubeVersion, 'init')
      decodeAndCheck(text.split('---\n').filter((d) => d.includes('JoinConfiguration')).join('---\n'), kubeVersion, 'join')
    })
  }

  it('the first control plane: external etcd over TLS with its node certificate, endpoint, networking and SANs from kubespray variables', () => {
    const text = render('cp1', {
      kube_service_addresses: '10.96.0.0/16', kube_pods_subnet: '10.200.0.0/16', dns_domain: 'prod.local',
      supplementary_addresses_in_ssl_keys: ['api.example.com', '203.0.113.7'],
    }).text
    const c = byKind(text, 'ClusterConfiguration')
    expect(c.etcd.external).to.deep.equal({
      endpoints: ['https://10.0.0.11:2379', 'https://10.0.0.12:2379', 'https://192.168.5.13:2379'],
      caFile: '/etc/ssl/etcd/ssl/ca.pem', certFile: '/etc/ssl/etcd/ssl/node-cp1.pem', keyFile: '/etc/ssl/etcd/ssl/node-cp1-key.pem',
    })
    expect(c.controlPlaneEndpoint).to.equal('10.0.0.11:6443')
    expect(c.networking).to.deep.equal({ dnsDomain: 'prod.local', serviceSubnet: '10.96.0.0/16', podSubnet: '10.200.0.0/16' })
    expect(c.apiServer.certSANs).to.include.members(['api.example.com', '203.0.113.7', 'lb-apiserver.kubernetes.local', '10.96.0.1',
      'kubernetes.default.svc.prod.local', '10.0.0.11', '10.0.0.12', '192.168.5.13', 'cp1', 'cp2', 'cp3'])
    expect(byKind(text, 'KubeletConfiguration').clusterDNS).to.deep.equal(['169.254.25.10'])
    expect(byKind(render('cp1', { enable_nodelocaldns: false, kube_service_addresses: '10.96.0.0/16' }).text, 'KubeletConfiguration').clusterDNS).to.deep.equal(['10.96.0.3'])
    const init = byKind(text, 'InitConfiguration')
    expect(init.localAPIEndpoint).to.deep.equal({ advertiseAddress: '10.0.0.11', bindPort: 6443 })
    expect(init.nodeRegistration.taints).to.deep.equal([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }])
    expect(init).not.to.have.property('bootstrapTokens')
  })

  it('an external load balancer becomes controlPlaneEndpoint and a SAN; workers discover through it', () => {
    const lb = { loadbalancer_apiserver: { address: '10.0.0.100', port: 8443 } }
    const c = byKind(render('cp1', lb).text, 'ClusterConfiguration')
    expect(c.controlPlaneEndpoint).to.equal('lb-apiserver.kubernetes.local:8443')
    expect(c.apiServer.certSANs).to.include('10.0.0.100')
    expect(byKind(render('w1', lb).text, 'JoinConfiguration').discovery.bootstrapToken.apiServerEndpoint).to.equal('lb-apiserver.kubernetes.local:8443')
  })

  it('workers with the local load balancer (kubespray default) discover through the first control plane; without it too', () => {
    expect(byKind(render('w1').text, 'JoinConfiguration').discovery.bootstrapToken.apiServerEndpoint).to.equal('10.0.0.11:6443')
    expect(byKind(render('w1', { loadbalancer_apiserver_localhost: false }).text, 'JoinConfiguration').discovery.bootstrapToken.apiServerEndpoint).to.equal('10.0.0.11:6443')
  })

  it('extra args, admission plugins and feature gates reach the components, in both extraArgs forms', () => {
    const vars = {
      kube_kubeadm_apiserver_extra_args: { 'audit-log-maxage': 30, 'bind-address': '10.0.0.11' },
      kube_kubeadm_controller_extra_args: { 'terminated-pod-gc-threshold': '100' },
      kube_kubeadm_scheduler_extra_args: { v: 2 },
      kube_apiserver_enable_admission_plugins: ['NodeRestriction', 'PodSecurity'],
      kube_feature_gates: ['InPlacePodVerticalScaling=true'],
      kubeadm_feature_gates: ['ControlPlaneKubeletLocalMode=false'],
    }
    const v4 = byKind(render('cp1', { ...vars, kube_version: '1.31.14' }).text, 'ClusterConfiguration')
    expect(v4.apiServer.extraArgs).to.deep.include.members([
      { name: 'audit-log-maxage', value: '30' }, { name: 'bind-address', value: '10.0.0.11' },
      { name: 'enable-admission-plugins', value: 'NodeRestriction,PodSecurity' }, { name: 'feature-gates', value: 'InPlacePodVerticalScaling=true' }])
    expect(v4.apiServer.extraArgs.filter((a: Doc) => a.name === 'bind-address')).to.have.length(1)
    expect(v4.controllerManager.extraArgs).to.deep.include({ name: 'terminated-pod-gc-threshold', value: '100' })
    expect(v4.scheduler.extraArgs).to.deep.include({ name: 'v', value: '2' })
    expect(v4.featureGates).to.deep.equal({ ControlPlaneKubeletLocalMode: false })
    const full = render('cp1', { ...vars, kube_version: '1.31.14' }).text
    decodeAndCheck(full, '1.31.14', 'init')
    // kubeadm 1.30 does not know ControlPlaneKubeletLocalMode (1.31): its own gates differ by release.
    decodeAndCheck(render('cp1', { ...vars, kubeadm_feature_gates: ['RootlessControlPlane=false'], kube_version: '1.30.14' }).text, '1.30.14', 'init')
    expect(byKind(full, 'KubeletConfiguration').featureGates).to.deep.equal({ InPlacePodVerticalScaling: true })
    expect(byKind(full, 'KubeProxyConfiguration').featureGates).to.deep.equal({ InPlacePodVerticalScaling: true })
    const v3 = byKind(render('cp1', { ...vars, kube_version: '1.30.14' }).text, 'ClusterConfiguration')
    expect(v3.apiServer.extraArgs).to.include({ 'audit-log-maxage': '30', 'enable-admission-plugins': 'NodeRestriction,PodSecurity' })
  })

  it('kubelet and kube-proxy settings: max pods, proxy mode, strict ARP', () => {
    const text = render('cp1', { kubelet_max_pods: 64, kube_proxy_mode: 'iptables', kube_proxy_strict_arp: true }).text
    expect(byKind(text, 'KubeletConfiguration')).to.include({ maxPods: 64, cgroupDriver: 'systemd' })
    const proxy = byKind(text, 'KubeProxyConfiguration')
    expect(proxy.mode).to.equal('iptables')
    expect(proxy.ipvs.strictARP).to.equal(true)
    expect(proxy.clusterCIDR).to.equal('10.233.64.0/18')
  })

  it('joins carry marked placeholders; a control-plane join has its own endpoint and a certificate key', () => {
    const cp = render('cp3').text
    expect(cp).to.match(/^# The token, CA hash and certificate key below are placeholders/m)
    const j = byKind(cp, 'JoinConfiguration')
    expect(j.controlPlane).to.deep.equal({ localAPIEndpoint: { advertiseAddress: '10.0.0.13', bindPort: 6443 }, certificateKey: '0'.repeat(64) })
    expect(j.caCertPath).to.equal('/etc/kubernetes/ssl/ca.crt')
    const w = render('w2').text
    expect(w).to.match(/token: "abcdef\.0123456789abcdef" {2}# placeholder/)
    expect(byKind(w, 'JoinConfiguration')).not.to.have.property('controlPlane')
    expect(byKind(w, 'JoinConfiguration').nodeRegistration).to.deep.include({ name: 'w2', taints: [] })
  })

  it('a token the inventory pins (kubeadm_token) is used for init and joins', () => {
    const t = 'abc123.0123456789abcdef'
    expect(byKind(render('cp1', { kubeadm_token: t }).text, 'InitConfiguration').bootstrapTokens[0].token).to.equal(t)
    expect(byKind(render('w1', { kubeadm_token: t }).text, 'JoinConfiguration').discovery.bootstrapToken.token).to.equal(t)
  })

  it('node_taints become registration taints, next to the control-plane taint', () => {
    const text = render('w1', { node_taints: ['dedicated=gpu:NoSchedule', 'spot:PreferNoSchedule'] }).text
    expect(byKind(text, 'JoinConfiguration').nodeRegistration.taints).to.deep.equal([
      { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'spot', effect: 'PreferNoSchedule' }])
    decodeAndCheck(text, '1.32.13', 'join')
  })

  const refusals: Array<[Record<string, unknown>, string]> = [
    [{ container_manager: 'crio' }, 'container_manager: crio is not supported'],
    [{ etcd_deployment_type: 'kubeadm' }, 'etcd_deployment_type: kubeadm is not supported'],
    [{ kube_proxy_mode: 'userspace' }, 'kube_proxy_mode: userspace is not supported'],
    [{ ipv6_stack: true }, 'ipv6_stack: true is not supported'],
    [{ enable_dual_stack_networks: true }, 'enable_dual_stack_networks: true is not supported'],
    [{ dns_mode: 'manual' }, 'dns_mode: manual is not supported'],
    [{ kube_feature_gates: ['Foo=maybe'] }, 'kube_feature_gates: ["Foo=maybe"] is not supported; each entry is Name=true or Name=false'],
    [{ kube_version: '1.30.14', kube_asymmetric_encryption_algorithm: 'ECDSA-P256' }, 'kube_asymmetric_encryption_algorithm: ECDSA-P256 is not supported; kubeadm v1beta3 knows only RSA-2048'],
    [{ kube_version: '1.29.0' }, 'kube_version: 1.29.0 is not in the offline manifest'],
  ]
  for (const [vars, line] of refusals) {
    it(`refuses ${JSON.stringify(vars)} with one line naming it`, () => {
      let err: unknown
      try { render('cp1', vars) } catch (e) { err = e }
      expect(err).to.be.instanceOf(KubeseedError)
      expect((err as Error).message).to.contain(line)
      expect((err as Error).message).not.to.contain('\n')
    })
  }

  it('print-default prints only the asked kinds', () => {
    const d = docs(printDefault(['KubeProxyConfiguration'], '1.31'))
    expect(d.map((x) => x.kind)).to.deep.equal(['KubeProxyConfiguration'])
    expect((load(printDefault(['JoinConfiguration'])) as Doc).discovery.bootstrapToken.token).to.equal('abcdef.0123456789abcdef')
  })
})
