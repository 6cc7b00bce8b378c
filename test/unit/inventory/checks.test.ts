import { expect } from 'chai'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkInventory } from '../../../src/engine/inventory/checks.js'
import { cidrOverlap, parseCidr } from '../../../src/engine/ip-address.js'
import { loadInventory } from '../../../src/engine/inventory/load.js'
import type { Inventory } from '../../../src/engine/inventory/model.js'

describe('inventory: checks', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-checks-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))
  let n = 0
  const inventory = (ini: string): Inventory => {
    const p = join(dir, `hosts${n++}`)
    writeFileSync(p, ini)
    return loadInventory(p)
  }
  // reads merged vars; a value 'UNEVALUABLE' throws as an unrenderable template would
  const plain = (inv: Inventory) => (host: string, name: string): unknown => {
    const v = inv.hostVars(host)[name]
    if (v === 'UNEVALUABLE') throw new Error('cannot evaluate')
    return v
  }
  const findings = (ini: string) => {
    const inv = inventory(ini)
    return checkInventory(inv, plain(inv))
  }

  const GOOD = `[kube_control_plane]
cp1 ansible_host=192.0.2.1 ip=10.0.0.1
cp2 ansible_host=192.0.2.2 ip=10.0.0.2
cp3 ansible_host=192.0.2.3 ip=10.0.0.3
[etcd:children]
kube_control_plane
[kube_node]
w1 ansible_host=192.0.2.4 ip=10.0.0.4
[all:vars]
kube_service_addresses=10.233.0.0/18
kube_pods_subnet=10.233.64.0/18
`

  it('finds nothing wrong with a sound inventory', () => {
    expect(findings(GOOD)).to.deep.equal([])
  })

  it('wants an odd, non-zero etcd member count', () => {
    expect(findings(GOOD.replace('cp3 ansible_host=192.0.2.3 ip=10.0.0.3\n', ''))).to.deep.equal([
      { level: 'warning', message: "group 'etcd' has 2 hosts: an even member count tolerates no more failures than 1; use an odd number" },
    ])
    const empty = findings('[etcd]\n[kube_node]\nw1\n')
    expect(empty).to.have.length(1)
    expect(empty[0]!).to.include({ level: 'error' })
    expect(empty[0]!.message).to.contain("group 'etcd' has no hosts")
  })

  it('rejects hosts sharing an ip or an ansible_host and port', () => {
    const f = findings(GOOD.replace('ip=10.0.0.4', 'ip=10.0.0.2').replace('ansible_host=192.0.2.4', 'ansible_host=192.0.2.1'))
    expect(f.map((x) => x.message)).to.deep.equal([
      "hosts 'cp2' and 'w1' have the same ip 10.0.0.2: give each host its own ip",
      "hosts 'cp1' and 'w1' have the same ansible_host 192.0.2.1: each host needs its own address",
    ])
    expect(f.every((x) => x.level === 'error')).to.equal(true)
    // the same address on different ports is a forwarding bastion, not a mistake
    expect(findings(GOOD.replace('ansible_host=192.0.2.4', 'ansible_host=192.0.2.1 ansible_port=2222'))).to.deep.equal([])
  })

  it('names the first pair sharing an address and only counts the rest, one finding per kind', () => {
    // A block copied without changing addresses: every worker repeats cp1's ip and ansible_host.
    const copies = Array.from({ length: 40 }, (_, i) => `w${i + 2} ansible_host=192.0.2.1 ip=10.0.0.1`).join('\n')
    const f = findings(GOOD.replace('w1 ansible_host=192.0.2.4 ip=10.0.0.4', `w1 ansible_host=192.0.2.4 ip=10.0.0.2\n${copies}`))
    expect(f.map((x) => x.message)).to.deep.equal([
      "hosts 'cp2' and 'w1' have the same ip 10.0.0.2 (and 40 more hosts repeating an ip of another host): give each host its own ip",
      "hosts 'cp1' and 'w2' have the same ansible_host 192.0.2.1 (and 39 more hosts repeating an ansible_host of another host): each host needs its own address",
    ])
    const two = findings(GOOD.replace('ip=10.0.0.3', 'ip=10.0.0.1').replace('ip=10.0.0.4', 'ip=10.0.0.1'))
    expect(two.map((x) => x.message)).to.deep.equal(["hosts 'cp1' and 'cp3' have the same ip 10.0.0.1 (and 1 more host repeating an ip of another host): give each host its own ip"])
  })

  it('rejects overlapping service and pod ranges, and unparsable ones', () => {
    const f = findings(GOOD.replace('kube_pods_subnet=10.233.64.0/18', 'kube_pods_subnet=10.233.32.0/20'))
    expect(f).to.deep.equal([
      { level: 'error', message: "kube_service_addresses 10.233.0.0/18 overlaps kube_pods_subnet 10.233.32.0/20 (host 'cp1'): choose ranges that do not overlap" },
    ])
    const bad = findings(GOOD.replace('kube_pods_subnet=10.233.64.0/18', 'kube_pods_subnet=10.233.64.0'))
    expect(bad[0]!.message).to.contain("kube_pods_subnet '10.233.64.0' (host 'cp1') is not a CIDR")
  })

  it('skips the range check when a value cannot be evaluated', () => {
    expect(findings(GOOD.replace('kube_pods_subnet=10.233.64.0/18', 'kube_pods_subnet=UNEVALUABLE'))).to.deep.equal([])
  })

  it('rejects control plane or worker hosts outside k8s_cluster', () => {
    const f = findings(GOOD + '[k8s_cluster:children]\nkube_control_plane\n')
    expect(f).to.deep.equal([
      { level: 'error', message: "host 'w1' is in kube_node but not in k8s_cluster: list kube_node under [k8s_cluster:children]" },
    ])
  })

  it('parses and compares IPv4 and IPv6 CIDRs', () => {
    expect(cidrOverlap(parseCidr('10.0.0.0/8')!, parseCidr('10.200.0.0/16')!)).to.equal(true)
    expect(cidrOverlap(parseCidr('10.0.0.0/16')!, parseCidr('10.1.0.0/16')!)).to.equal(false)
    expect(cidrOverlap(parseCidr('fd85:ee78:d8a6:8607::1:0000/112')!, parseCidr('fd85:ee78:d8a6:8607::1:0/120')!)).to.equal(true)
    expect(cidrOverlap(parseCidr('fd85::/64')!, parseCidr('fd86::/64')!)).to.equal(false)
    expect(cidrOverlap(parseCidr('10.0.0.0/8')!, parseCidr('::/0')!)).to.equal(false)
    expect(parseCidr('10.0.0.0/33')).to.equal(undefined)
    expect(parseCidr('banana/8')).to.equal(undefined)
  })
})
