import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InventoryError } from '../../../src/engine/errors.js'
import { prepareInventory } from '../../../src/engine/inventory/prepared.js'

function inventoryDir(hosts: string, allVars: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks-prepared-'))
  writeFileSync(join(dir, 'hosts.ini'), hosts)
  mkdirSync(join(dir, 'group_vars'))
  writeFileSync(join(dir, 'group_vars', 'all.yml'), allVars)
  return join(dir, 'hosts.ini')
}

const HOSTS = '[kube_control_plane]\nnode1 ip=10.0.0.1\n[etcd]\nnode1\n[kube_node]\nnode2 ip=10.0.0.2\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n'

describe('inventory as a run uses it (prepared)', () => {
  it('layers the derived values on top of each host, derived once, warned once; hostVars stays as ansible-inventory shows it', () => {
    const warnings: string[] = []
    const inv = prepareInventory([inventoryDir(HOSTS, [
      'kube_service_addresses: 10.233.0.0/18',
      "skydns_server: \"{{ kube_service_addresses | no_such_filter }}\"",
    ].join('\n'))], (w) => warnings.push(w))
    expect(inv.scope('node1').get('skydns_server')).to.equal('10.233.0.3')
    expect(inv.scope('node2').get('kube_apiserver_ip')).to.equal('10.233.0.1')
    expect(inv.hostLayers('node2').at(-1)!.source).to.equal('derived by kubeseed')
    expect(inv.hostVars('node1')).to.not.have.property('kube_apiserver_ip')
    expect(inv.scope('node1')).to.equal(inv.scope('node1'))
    expect(warnings.filter((w) => w.includes('skydns_server'))).to.have.length(1)
  })

  it('derives from the extra vars, which win over the inventory everywhere (-e cluster_name, -e kube_service_addresses)', () => {
    const path = inventoryDir(HOSTS, 'cluster_name: inv.local\nkube_service_addresses: 10.233.0.0/18\n')
    const plain = prepareInventory([path], () => {})
    expect(plain.scope('node1').get('dns_domain')).to.equal('inv.local')
    const warnings: string[] = []
    const inv = prepareInventory([path], (w) => warnings.push(w), { cluster_name: 'foo.example', kube_service_addresses: '10.96.0.0/16' })
    for (const host of ['node1', 'node2']) {
      expect(inv.scope(host).get('dns_domain'), host).to.equal('foo.example')
      expect(inv.scope(host).get('kube_apiserver_ip'), host).to.equal('10.96.0.1')
      expect(inv.scope(host).get('skydns_server'), host).to.equal('10.96.0.3')
      expect(inv.scope(host).get('skydns_server_secondary'), host).to.equal('10.96.0.4')
      // the layers a run puts the extra vars on carry the values derived from them
      expect(inv.hostLayers(host).at(-1)!.vars).to.include({ dns_domain: 'foo.example', kube_apiserver_ip: '10.96.0.1' })
    }
    // an inventory expression that agrees with the extra vars is no reason to warn
    expect(warnings).to.deep.equal([])
    // a derived value given with -e is kept as given
    const pinned = prepareInventory([path], () => {}, { cluster_name: 'foo.example', dns_domain: 'other.example' })
    expect(pinned.scope('node1').get('dns_domain')).to.equal('other.example')
  })

  it('checks read the extra vars: a service CIDR given with -e that overlaps the pod CIDR is refused', () => {
    const path = inventoryDir(HOSTS, 'kube_service_addresses: 10.233.0.0/18\nkube_pods_subnet: 10.233.64.0/18\n')
    prepareInventory([path], () => {}).check()
    const inv = prepareInventory([path], () => {}, { kube_service_addresses: '10.233.64.0/20' })
    expect(() => inv.check()).to.throw(InventoryError, /overlap/)
  })

  it('check() stops on an inventory error and tells the warnings', () => {
    const warnings: string[] = []
    const dup = prepareInventory([inventoryDir(HOSTS.replace('ip=10.0.0.2', 'ip=10.0.0.1'), 'kube_service_addresses: 10.233.0.0/18\n')], (w) => warnings.push(w))
    expect(() => dup.check()).to.throw(InventoryError, /hosts 'node1' and 'node2' have the same ip 10.0.0.1/)
    const even = prepareInventory([inventoryDir(HOSTS.replace('[etcd]\nnode1', '[etcd]\nnode1\nnode2'), '')], (w) => warnings.push(w))
    even.check()
    expect(warnings.some((w) => /group 'etcd' has 2 hosts/.test(w))).to.equal(true)
  })

  it("gives every host kubespray's network facts (main_ip, main_access_ip) as its own variables, so hostvars reads them; the inventory's own value wins", () => {
    const inv = prepareInventory([inventoryDir(HOSTS.replace('node2 ip=10.0.0.2', 'node2 ip=10.0.0.2 access_ip=192.0.2.2 main_ip=10.0.0.9'), '')], () => {})
    expect(inv.scope('node1').get('main_ip')).to.equal('10.0.0.1')
    expect(inv.scope('node1').get('main_access_ip')).to.equal('10.0.0.1')
    expect(inv.scope('node2').get('main_access_ip')).to.equal('192.0.2.2')
    expect(inv.scope('node2').get('main_ip')).to.equal('10.0.0.9')
    expect(inv.hostVars('node1')).to.not.have.property('main_ip')
  })
})
