import { expect } from 'chai'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InventoryError } from '../../../src/engine/errors.js'
import { loadInventory } from '../../../src/engine/inventory/load.js'
import { selectHosts, splitHostPattern } from '../../../src/engine/inventory/pattern.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url))

describe('inventory: host patterns', () => {
  const inv = loadInventory(join(FIXTURES, 'dir-inventory'))

  it('splits on commas or colons but keeps ranges and IPv6 addresses whole', () => {
    expect(splitHostPattern('a:b:!c:&d')).to.deep.equal(['a', 'b', '!c', '&d'])
    expect(splitHostPattern('a, b ,web[1:3]')).to.deep.equal(['a', 'b', 'web[1:3]'])
    expect(splitHostPattern('web[1:3]:db')).to.deep.equal(['web[1:3]', 'db'])
    expect(splitHostPattern('fe80::1')).to.deep.equal(['fe80::1'])
  })

  it('selects groups, unions, intersections and exclusions in Ansible order', () => {
    expect(selectHosts(inv, 'all')).to.deep.equal(['cp1', 'cp2', 'cp3', 'rr1', 'worker-a', 'worker-b'])
    expect(selectHosts(inv, '*')).to.deep.equal(['cp1', 'cp2', 'cp3', 'rr1', 'worker-a', 'worker-b'])
    expect(selectHosts(inv, 'kube_node:etcd')).to.deep.equal(['worker-a', 'worker-b', 'cp1', 'cp2', 'cp3'])
    expect(selectHosts(inv, 'k8s_cluster:&etcd')).to.deep.equal(['cp1', 'cp2', 'cp3'])
    expect(selectHosts(inv, '!etcd:k8s_cluster')).to.deep.equal(['worker-a', 'worker-b'])
    expect(selectHosts(inv, '!kube_node')).to.deep.equal(['cp1', 'cp2', 'cp3', 'rr1'])
  })

  it('applies subscripts, wildcards and regexes', () => {
    expect(selectHosts(inv, 'kube_control_plane[0]')).to.deep.equal(['cp1'])
    expect(selectHosts(inv, 'kube_control_plane[-1]')).to.deep.equal(['cp3'])
    expect(selectHosts(inv, 'kube_control_plane[1:]')).to.deep.equal(['cp2', 'cp3'])
    expect(selectHosts(inv, 'kube_control_plane[0:1]')).to.deep.equal(['cp1', 'cp2'])
    expect(selectHosts(inv, 'worker-*')).to.deep.equal(['worker-a', 'worker-b'])
    expect(selectHosts(inv, '~cp[23]')).to.deep.equal(['cp2', 'cp3'])
    expect(selectHosts(inv, 'rr1,cp2')).to.deep.equal(['rr1', 'cp2'])
  })

  it('reads legacy group names as the current ones', () => {
    expect(selectHosts(inv, 'kube-master')).to.deep.equal(['cp1', 'cp2', 'cp3'])
  })

  it('rejects a name that matches no group or host, naming it and the pattern', () => {
    expect(() => selectHosts(inv, 'kube_node:etdc')).to.throw(InventoryError, "unknown group or host 'etdc' in pattern 'kube_node:etdc'")
    expect(() => selectHosts(inv, 'nothing*')).to.throw(InventoryError, "unknown group or host 'nothing*'")
    expect(() => selectHosts(inv, 'kube_node[5]')).to.throw(InventoryError, "no hosts match the subscripted pattern 'kube_node[5]'")
    expect(() => selectHosts(inv, '~(')).to.throw(InventoryError, 'invalid host pattern')
  })

  it('as for a play: a name the inventory lacks is reported and ignored, the rest still match', () => {
    const missing: string[] = []
    expect(selectHosts(inv, 'kube_node:calico_route:etcd', (p) => missing.push(p))).to.deep.equal(['worker-a', 'worker-b', 'cp1', 'cp2', 'cp3'])
    expect(selectHosts(inv, 'nothing*', (p) => missing.push(p))).to.deep.equal([])
    expect(selectHosts(inv, 'absent[0]', (p) => missing.push(p))).to.deep.equal([])
    expect(missing).to.deep.equal(['calico_route', 'nothing*', 'absent'])
    expect(() => selectHosts(inv, '~(', () => {})).to.throw(InventoryError, 'invalid host pattern')
  })
})
