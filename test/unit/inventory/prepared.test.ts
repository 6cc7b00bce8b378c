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

  it('check() stops on an inventory error and tells the warnings', () => {
    const warnings: string[] = []
    const dup = prepareInventory([inventoryDir(HOSTS.replace('ip=10.0.0.2', 'ip=10.0.0.1'), 'kube_service_addresses: 10.233.0.0/18\n')], (w) => warnings.push(w))
    expect(() => dup.check()).to.throw(InventoryError, /hosts 'node1' and 'node2' have the same ip 10.0.0.1/)
    const even = prepareInventory([inventoryDir(HOSTS.replace('[etcd]\nnode1', '[etcd]\nnode1\nnode2'), '')], (w) => warnings.push(w))
    even.check()
    expect(warnings.some((w) => /group 'etcd' has 2 hosts/.test(w))).to.equal(true)
  })
})
