// The network plugin and node-local DNS manifests: real Kubernetes kinds that parse, variables honoured with
// kubespray's defaults, images named from the registry variables, and the CNI file each node gets.

import { expect } from 'chai'
import { loadAll } from 'js-yaml'
import { render } from './role-scope.js'
import { clusterScopes } from './cluster-scope.js'
import { decodeStrict } from '../../../src/sandbox/emulated/decode/strict.js'
import { API_KIND_SCHEMAS } from '../../../src/sandbox/emulated/schema/api-kinds.js'

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [k: string]: any }
const docs = (text: string) => (loadAll(text) as Doc[]).filter((d) => d !== null)
const KINDS: Record<string, string> = {
  ServiceAccount: 'v1', ConfigMap: 'v1', DaemonSet: 'apps/v1', Deployment: 'apps/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1', ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
}
// Pinned here so these tests do not depend on which versions the offline manifest carries.
const PINS = { flannel_version: '0.28.4', flannel_cni_version: '1.7.1-flannel1', nodelocaldns_version: '1.25.0' }

function manifests(role: string, dir: string, names: string[], vars: Record<string, unknown> = {}) {
  const scope = clusterScopes([role], { ...PINS, ...vars })('cp1')
  const all = names.flatMap((n) => docs(render(`${dir}/${n}.hbs`, scope)))
  for (const d of all) {
    expect(KINDS[d.kind], `${d.kind} ${d.metadata.name}`).to.equal(d.apiVersion)
    // Decoded strictly against the field tables the sandbox's API server validates with (kubectl apply's default).
    const [group, version] = d.apiVersion.includes('/') ? d.apiVersion.split('/') : ['', d.apiVersion]
    const schema = API_KIND_SCHEMAS.find((k) => k.kind === d.kind && k.group === group && k.version === version)
    expect(schema, `${d.kind} is served`).not.to.equal(undefined)
    const problems = decodeStrict(schema!, d, 32)
    expect([...problems.typeErrors, ...problems.unknownFields, ...problems.invalidValues], `${d.kind} ${d.metadata.name}`).to.deep.equal([])
    expect(d.metadata.name).to.match(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/)
    if (!d.kind.startsWith('Cluster')) expect(d.metadata.namespace, d.metadata.name).to.equal('kube-system')
  }
  const find = (kind: string, name: string) => all.find((d) => d.kind === kind && d.metadata.name === name)!
  return { all, find, scope }
}
const envOf = (container: any) => Object.fromEntries((container.env ?? []).filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value]))
const CALICO = ['calico-node-sa.yml', 'calico-cr.yml', 'calico-crb.yml', 'calico-config.yml', 'calico-node.yml', 'calico-kube-controllers.yml']
const FLANNEL = ['cni-flannel-rbac.yml', 'cni-flannel.yml']

describe('calico manifests (kube_network_plugin: calico)', () => {
  it('with kubespray\'s defaults: a VXLAN pool of kube_pods_subnet in /26 blocks, images from quay.io at the manifest\'s version', () => {
    const { find, scope } = manifests('network_plugin/calico', 'calico', CALICO)
    const ds = find('DaemonSet', 'calico-node')
    const node = ds.spec.template.spec.containers[0]
    expect(ds.spec.selector.matchLabels).to.deep.equal(ds.spec.template.metadata.labels)
    expect(envOf(node)).to.include({ CALICO_IPV4POOL_CIDR: '10.233.64.0/18', CALICO_IPV4POOL_BLOCK_SIZE: '26', CALICO_IPV4POOL_VXLAN: 'Always', CALICO_IPV4POOL_IPIP: 'Never', CALICO_IPV4POOL_NAT_OUTGOING: 'true' })
    expect(envOf(node)).not.to.have.property('FELIX_VXLANMTU')
    const version = scope.get('calico_version')
    expect(node.image).to.equal(`quay.io/calico/node:v${version}`)
    expect(ds.spec.template.spec.initContainers[0].image).to.equal(`quay.io/calico/cni:v${version}`)
    expect(find('Deployment', 'calico-kube-controllers').spec.template.spec.containers[0].image).to.equal(`quay.io/calico/kube-controllers:v${version}`)
    expect(find('ConfigMap', 'calico-config').data.calico_backend).to.equal('vxlan')
    expect(find('ClusterRoleBinding', 'calico-node').subjects[0]).to.deep.equal({ kind: 'ServiceAccount', name: 'calico-node', namespace: 'kube-system' })
  })

  it('honours kube_pods_subnet, calico_pool_blocksize, the encapsulation modes, the MTU and the registry', () => {
    const vars = { kube_pods_subnet: '10.240.0.0/16', calico_pool_blocksize: 24, calico_vxlan_mode: 'Never', calico_ipip_mode: 'Always', calico_mtu: 1400, calico_veth_mtu: 1350, quay_image_repo: 'mirror.local:5000/quay', nat_outgoing: false }
    const { find } = manifests('network_plugin/calico', 'calico', CALICO, vars)
    const spec = find('DaemonSet', 'calico-node').spec.template.spec
    expect(envOf(spec.containers[0])).to.include({ CALICO_IPV4POOL_CIDR: '10.240.0.0/16', CALICO_IPV4POOL_BLOCK_SIZE: '24', CALICO_IPV4POOL_VXLAN: 'Never', CALICO_IPV4POOL_IPIP: 'Always', FELIX_VXLANMTU: '1350', FELIX_IPINIPMTU: '1350', CALICO_IPV4POOL_NAT_OUTGOING: 'false' })
    expect(envOf(spec.initContainers[0])).to.include({ CNI_MTU: '1350' })
    expect(spec.containers[0].image).to.match(/^mirror\.local:5000\/quay\/calico\/node:v/)
    const cni = JSON.parse(find('ConfigMap', 'calico-config').data.cni_network_config)
    expect(cni.plugins[0].mtu).to.equal(1400)
  })

  it('calico-config holds install-cni\'s placeholders; the node\'s 10-calico.conflist has them filled in', () => {
    const { find } = manifests('network_plugin/calico', 'calico', CALICO)
    const cm = JSON.parse(find('ConfigMap', 'calico-config').data.cni_network_config)
    expect(cm.plugins[0]).to.include({ type: 'calico', datastore_type: 'kubernetes', nodename: '__KUBERNETES_NODE_NAME__' })
    expect(cm.plugins[0].kubernetes.kubeconfig).to.equal('__KUBECONFIG_FILEPATH__')
    expect(cm.plugins[0].ipam).to.deep.equal({ type: 'calico-ipam', assign_ipv4: 'true' })
    // The task's vars, as roles/network_plugin/calico/tasks/main.yaml sets them.
    const taskVars = { calico_cni_nodename: '{{ calico_baremetal_nodename }}', calico_cni_kubeconfig: '/etc/cni/net.d/calico-kubeconfig' }
    const w1 = clusterScopes(['network_plugin/calico'], taskVars)('w1')
    const file = JSON.parse(render('calico/10-calico.conflist.hbs', w1))
    expect(file.name).to.equal('k8s-pod-network')
    expect(file.plugins.map((p: any) => p.type)).to.deep.equal(['calico', 'portmap', 'bandwidth'])
    expect(file.plugins[0].nodename).to.equal('w1')
    expect(file.plugins[0].kubernetes.kubeconfig).to.equal('/etc/cni/net.d/calico-kubeconfig')
    expect(file.plugins[0].policy).to.deep.equal({ type: 'k8s' })
  })
})

describe('flannel manifests (kube_network_plugin: flannel)', () => {
  it('with kubespray\'s defaults: VXLAN VNI 1 on port 8472 over kube_pods_subnet, images from docker.io', () => {
    const { find } = manifests('network_plugin/flannel', 'flannel', FLANNEL)
    const cm = find('ConfigMap', 'kube-flannel-cfg')
    const net = JSON.parse(cm.data['net-conf.json'])
    expect(net).to.deep.include({ Network: '10.233.64.0/18', EnableIPv4: true, Backend: { Type: 'vxlan', VNI: 1, Port: 8472, DirectRouting: false } })
    expect(net.EnableNFTables).to.equal(false)
    const spec = find('DaemonSet', 'kube-flannel').spec.template.spec
    expect(spec.containers[0].image).to.equal('docker.io/flannel/flannel:v0.28.4')
    expect(spec.initContainers.map((c: any) => c.image)).to.deep.equal(['docker.io/flannel/flannel-cni-plugin:v1.7.1-flannel1', 'docker.io/flannel/flannel:v0.28.4'])
    expect(spec.serviceAccountName).to.equal('flannel')
    expect(find('ClusterRoleBinding', 'flannel').roleRef.name).to.equal('flannel')
  })

  it('honours the backend, the pod subnet, the registry and nftables', () => {
    const vars = { flannel_backend_type: 'host-gw', kube_pods_subnet: '10.244.0.0/16', docker_image_repo: 'mirror.local:5000/docker', kube_proxy_mode: 'nftables' }
    const { find } = manifests('network_plugin/flannel', 'flannel', FLANNEL, vars)
    const net = JSON.parse(find('ConfigMap', 'kube-flannel-cfg').data['net-conf.json'])
    expect(net).to.deep.equal({ Network: '10.244.0.0/16', EnableIPv4: true, EnableNFTables: true, Backend: { Type: 'host-gw' } })
    expect(find('DaemonSet', 'kube-flannel').spec.template.spec.containers[0].image).to.match(/^mirror\.local:5000\/docker\/flannel\/flannel:/)
  })

  it('10-flannel.conflist on each node is byte for byte what install-cni copies from the ConfigMap', () => {
    const { find, scope } = manifests('network_plugin/flannel', 'flannel', FLANNEL)
    const file = render('flannel/10-flannel.conflist.hbs', scope)
    expect(file).to.equal(find('ConfigMap', 'kube-flannel-cfg').data['cni-conf.json'])
    expect(JSON.parse(file).plugins.map((p: any) => p.type)).to.deep.equal(['flannel', 'portmap'])
  })
})

describe('nodelocaldns manifests (enable_nodelocaldns)', () => {
  const NODELOCALDNS = ['nodelocaldns-sa.yml', 'nodelocaldns-config.yml', 'nodelocaldns-daemonset.yml']
  it('a DaemonSet answering on 169.254.25.10, forwarding the cluster domain to the CoreDNS service', () => {
    const { find } = manifests('kubernetes-apps/ansible', 'kubernetes-apps', NODELOCALDNS, { kube_service_addresses: '10.233.0.0/18', skydns_server: '10.233.0.3', dns_domain: 'cluster.local' })
    const ds = find('DaemonSet', 'nodelocaldns')
    const c = ds.spec.template.spec.containers[0]
    expect(c.image).to.equal('registry.k8s.io/dns/k8s-dns-node-cache:1.25.0')
    expect(c.args).to.deep.equal(['-localip', '169.254.25.10', '-conf', '/etc/coredns/Corefile', '-upstreamsvc', 'coredns'])
    expect(ds.spec.template.spec.serviceAccountName).to.equal('nodelocaldns')
    expect(ds.spec.template.spec.hostNetwork).to.equal(true)
    const corefile: string = find('ConfigMap', 'nodelocaldns').data.Corefile
    expect(corefile).to.match(/^cluster\.local:53 \{$/m)
    expect(corefile.match(/bind 169\.254\.25\.10$/gm)).to.have.length(4)
    expect(corefile).to.contain('forward . 10.233.0.3 {')
    expect(corefile).to.contain('health 169.254.25.10:9254')
  })

  it('honours nodelocaldns_ip, the image registry and version', () => {
    const { find } = manifests('kubernetes-apps/ansible', 'kubernetes-apps', NODELOCALDNS, { skydns_server: '10.233.0.3', dns_domain: 'cluster.local', nodelocaldns_ip: '169.254.20.10', kube_image_repo: 'mirror.local:5000/k8s', nodelocaldns_version: '1.26.0' })
    const c = find('DaemonSet', 'nodelocaldns').spec.template.spec.containers[0]
    expect(c.image).to.equal('mirror.local:5000/k8s/dns/k8s-dns-node-cache:1.26.0')
    expect(c.args[1]).to.equal('169.254.20.10')
    expect(c.livenessProbe.httpGet.host).to.equal('169.254.20.10')
  })
})

describe('network plugin and DNS cache images in the offline manifest', () => {
  it('every release carries the images the calico, flannel and nodelocaldns manifests name', async () => {
    const { loadManifest, supportedReleases } = await import('../../../src/offline/manifest.js')
    const { artifactsVar } = await import('./role-scope.js')
    const releases = supportedReleases(loadManifest())
    expect(releases.length).to.be.greaterThan(2)
    for (const r of releases) {
      const artifacts = artifactsVar(r.kubeVersion) as { images: { repo: string; tag: string }[] }
      const scope = clusterScopes(['network_plugin/calico', 'network_plugin/flannel', 'kubernetes-apps/ansible'], { kube_version: r.kubeVersion, kubeseed_artifacts: artifacts })('w1')
      const carried = artifacts.images.map((i) => `${i.repo}:${i.tag}`)
      for (const name of ['calico_node', 'calico_cni', 'calico_policy', 'flannel', 'flannel_init', 'nodelocaldns']) {
        expect(carried, `${r.kubeVersion} ${name}`).to.include(`${scope.get(`${name}_image_repo`)}:${scope.get(`${name}_image_tag`)}`)
      }
    }
  })
})
