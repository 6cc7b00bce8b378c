import { expect } from 'chai'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { InventoryError } from '../../../src/engine/errors.js'
import { loadInventory } from '../../../src/engine/inventory/load.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url))

describe('inventory: loading', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeseed-inv-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))
  const write = (name: string, text: string): string => {
    const p = join(dir, name)
    mkdirSync(join(p, '..'), { recursive: true })
    writeFileSync(p, text)
    return p
  }
  const errorOf = (fn: () => unknown): InventoryError => {
    try {
      fn()
    } catch (e) {
      expect(e).to.be.instanceOf(InventoryError)
      return e as InventoryError
    }
    throw new Error('expected an InventoryError')
  }

  describe('errors name file and line', () => {
    it('a YAML host name that is a number, as Ansible refuses it; quoted it is a name', () => {
      const p = write('hosts.yml', 'all:\n  hosts:\n    ok1:\n    1234:\n      x: 1\n')
      const e = errorOf(() => loadInventory(p))
      expect(e.message).to.match(/hosts\.yml:4.*Host pattern 1234 must be a string/)
      for (const key of ['"1234"', '1.5']) {
        const q = write('q.yml', `all:\n  hosts:\n    ${key}:\n`)
        if (key.startsWith('"')) expect([...loadInventory(q).hosts.keys()]).to.deep.equal(['1234'])
        else expect(errorOf(() => loadInventory(q)).message).to.match(/Host pattern 1\.5 must be a string/)
      }
    })

    it('a host var without "="', () => {
      const p = write('hosts', '[web]\nweb1 ansible_host=1.2.3.4\nweb2 oops\n')
      const e = errorOf(() => loadInventory(p))
      expect(e.where).to.deep.include({ file: p, line: 3 })
      expect(e.message).to.match(new RegExp(`^${p}:3: expected key=value after host 'web2', got 'oops'`))
    })
    it('an unknown section type', () => {
      const p = write('hosts', '# c\n[web:hostz]\nweb1\n')
      expect(errorOf(() => loadInventory(p)).message).to.contain(`${p}:2: section [web:hostz] has unknown type`)
    })
    it('vars for a group that is never defined', () => {
      const p = write('hosts', '[web]\nw1\n\n[db:vars]\nx=1\n')
      expect(errorOf(() => loadInventory(p)).message).to.contain(`${p}:4: section [db:vars] is for group 'db', which is not defined`)
    })
    it('a child group that is never defined', () => {
      const p = write('hosts', '[all:children]\nghost\n')
      expect(errorOf(() => loadInventory(p)).message).to.contain(`${p}:2: section [all:children] includes undefined group 'ghost'`)
    })
    it('an unclosed quote and a bad range', () => {
      expect(errorOf(() => loadInventory(write('a', 'h1 x="open\n'))).where?.line).to.equal(1)
      const e = errorOf(() => loadInventory(write('b', '[g]\n\nnode[01:3]\n')))
      expect(e.where?.line).to.equal(3)
      expect(e.message).to.contain('same number of digits')
    })
    it('a group loop', () => {
      const p = write('hosts', '[a:children]\nb\n[b:children]\na\n')
      expect(errorOf(() => loadInventory(p)).message).to.contain('creates a loop')
    })
    it('bad YAML in an inventory and in a vars file', () => {
      const inv = write('hosts.yml', 'all:\n  hosts:\n    h1: {a: 1\n')
      expect(errorOf(() => loadInventory(inv)).message).to.match(/hosts\.yml:\d+: invalid YAML/)
      const ok = write('inv2/hosts.yml', 'all:\n  hosts:\n    h1:\n')
      write('inv2/group_vars/all.yml', 'a: 1\nb: [\n')
      expect(errorOf(() => loadInventory(ok)).message).to.match(/group_vars\/all\.yml:\d+: invalid YAML/)
      write('inv3/hosts.yml', 'all:\n  hosts:\n    h1:\n')
      write('inv3/host_vars/h1.yml', '- a\n- b\n')
      expect(errorOf(() => loadInventory(join(dir, 'inv3/hosts.yml'))).message).to.contain('must hold a mapping')
    })
    it('a missing path and a non-integer ansible_group_priority', () => {
      expect(errorOf(() => loadInventory(join(dir, 'nope'))).message).to.contain('does not exist')
      const p = write('hosts', '[g]\nh\n[g:vars]\nansible_group_priority=high\n')
      expect(errorOf(() => loadInventory(p)).where?.line).to.equal(4)
    })
  })

  it('records the file and line of each inventory and group_vars key in its layer', () => {
    const inv = loadInventory(join(FIXTURES, 'yaml-nested/hosts.yml'), { implicitClusterGroup: false })
    const layers = inv.hostLayers('special')
    const host = layers.find((l) => l.source.endsWith('hosts.yml') && 'level' in l.vars && l.vars.level === 'special-host-inventory')!
    expect(host.lines).to.deep.equal({ level: 27 })
    const all = layers.find((l) => l.source.endsWith('group_vars/all/00-base.yml'))!
    expect(all.lines!.typing).to.equal(3)
    expect(all.lines!.gv_order).to.equal(2)
    const ini = loadInventory(join(FIXTURES, 'ini-basic/hosts')).hostLayers('web-01')
    const webVars = ini.find((l) => l.vars.name === 'quoted string')!
    expect(webVars.lines).to.include({ http_port: 14, name: 15 })
  })

  it('orders layers lowest first: group vars by depth and priority, then group_vars files, then host vars', () => {
    const inv = loadInventory(join(FIXTURES, 'yaml-nested/hosts.yml'))
    const sources = inv.hostLayers('r-2').map((l) => `${l.source.replace(FIXTURES, '')}:${Object.keys(l.vars).join(',')}`)
    expect(sources).to.deep.equal([
      'yaml-nested/hosts.yml:level,only_all,prio_test',
      'yaml-nested/hosts.yml:prio_test', // low: depth 1, priority 0
      'yaml-nested/hosts.yml:level', // region: depth 1, priority 1, name < workers
      'yaml-nested/hosts.yml:prio_test', // workers: depth 1, priority 1
      'yaml-nested/hosts.yml:prio_test', // high: depth 1, priority 10
      'yaml-nested/hosts.yml:level', // zone, depth 2
      'yaml-nested/hosts.yml:level', // rack, depth 3
      'yaml-nested/group_vars/all/00-base.yml:level,gv_order,typing',
      'yaml-nested/group_vars/all/10-later.yaml:gv_order',
      'yaml-nested/group_vars/low.yml:prio_test',
      'yaml-nested/group_vars/workers/main.yml:prio_test',
      'yaml-nested/group_vars/high.yaml:prio_test',
      'yaml-nested/group_vars/zone.json:level,from_json',
      'yaml-nested/group_vars/rack:level',
      'yaml-nested/hosts.yml:rack_host',
    ])
    expect(inv.hostVars('r-2')).to.include({ level: 'group_vars-rack-noext', prio_test: 'high-file', rack_host: true })
  })

  it('gives hosts their groups with ancestors, sorted, and groups their depth and priority', () => {
    const inv = loadInventory(join(FIXTURES, 'yaml-nested/hosts.yml'))
    expect(inv.hosts.get('r-1')!.groups).to.deep.equal(['all', 'rack', 'region', 'zone'])
    expect(inv.hosts.get('jump')!.groups).to.deep.equal(['all', 'ungrouped'])
    expect(inv.groups.get('rack')).to.include({ depth: 3, priority: 1 })
    expect(inv.groups.get('high')).to.include({ depth: 1, priority: 10 })
    expect(inv.groups.get('zone')!.parents).to.deep.equal(['region'])
  })

  it('loads the kubespray sample, keeping Jinja strings raw and adding k8s_cluster as kubespray does', () => {
    const inv = loadInventory(join(FIXTURES, 'kubespray-sample/inventory.ini'))
    expect(inv.groups.get('k8s_cluster')!.children).to.deep.equal(['kube_control_plane', 'kube_node'])
    expect([...inv.hosts.keys()].sort()).to.deep.equal(['node1', 'node2', 'node3', 'node4', 'node5', 'node6'])
    const vars = inv.hostVars('node4')
    // from group_vars/k8s_cluster/k8s-cluster.yml, which applies only through k8s_cluster
    expect(vars.kube_network_plugin).to.equal('calico')
    expect(vars.kube_proxy_mode).to.equal('ipvs')
    expect(String(vars.kube_pods_subnet)).to.equal('10.233.64.0/18')
    const jinja = Object.values(vars).filter((v) => typeof v === 'string' && v.includes('{{'))
    expect(jinja.length).to.be.greaterThan(3)
    expect(inv.hostVars('node1')).to.include({ etcd_member_name: 'etcd1', ip: '10.3.0.1', ansible_host: '95.54.0.12' })
    // ansible-inventory --list differs here (no k8s_cluster, no group_vars/k8s_cluster): one line says so
    expect(inv.warnings).to.have.length(1)
    expect(inv.warnings[0]).to.match(/^the inventory has no k8s_cluster group: kubeseed makes it of kube_control_plane and kube_node .*ansible-inventory --list/)
  })

  it('maps legacy kubespray group names to the current ones with one warning each', () => {
    const inv = loadInventory(join(FIXTURES, 'legacy/hosts'))
    expect([...inv.groups.keys()]).to.include.members(['kube_control_plane', 'kube_node', 'k8s_cluster'])
    expect([...inv.groups.keys()]).to.not.include.members(['kube-master', 'kube-node', 'k8s-cluster'])
    expect(inv.groups.get('k8s_cluster')!.children).to.deep.equal(['kube_control_plane', 'kube_node'])
    expect(inv.hosts.get('m1')!.groups).to.deep.equal(['all', 'etcd', 'k8s_cluster', 'kube_control_plane'])
    const w = inv.warnings
    expect(w.filter((m) => m.includes("'kube-master'"))).to.have.length(1)
    expect(w.filter((m) => m.includes("'kube-node'"))).to.have.length(1)
    expect(w.filter((m) => m.startsWith("group 'k8s-cluster'"))).to.have.length(1)
    expect(w.find((m) => m.includes("'kube-master'"))).to.match(/hosts:1\) is the legacy kubespray name of 'kube_control_plane'/)
    // group_vars/k8s-cluster.yml still applies, below group_vars/k8s_cluster.yml
    expect(inv.hostVars('n1')).to.include({ legacy_dir_var: 'from-k8s_cluster', new_only: true })
    expect(w.some((m) => m.includes('k8s-cluster.yml holds vars of legacy group'))).to.equal(true)
  })

  it('reads every inventory file of a directory but skips *.ini there, and takes several -i paths in order', () => {
    const inv = loadInventory(join(FIXTURES, 'dir-inventory'))
    expect(inv.hosts.has('never-read')).to.equal(false)
    expect(inv.hosts.has('rr1')).to.equal(true)
    expect(inv.hostVars('rr1')).to.not.have.property('not_loaded')
    const multi = loadInventory([join(FIXTURES, 'multi-source/a/hosts'), join(FIXTURES, 'multi-source/b/hosts.yml')])
    expect(multi.hostVars('app2')).to.include({ src: 'b', which: 'b-inventory', gv: 'b-app', gv_app: 'b-app' })
    expect(multi.hostVars('app1')).to.include({ gv: 'b-app' })
  })

  describe('a directory holding files that are no inventory (kubespray artifacts/)', () => {
    it('skips them with one warning each, naming file, line and reason, and reads the rest', () => {
      write('hosts.yaml', 'all:\n  hosts:\n    cp1:\n      ansible_host: 10.0.0.1\n')
      write('artifacts/admin.conf', 'apiVersion: v1\nkind: Config\nclusters: []\n')
      write('artifacts/kubectl.sh', '#!/bin/bash\n/x/kubectl --kubeconfig /x/admin.conf "$@"\n')
      // the shape of kubespray's downloaded kubectl: an ELF header, then bytes that are no UTF-8
      writeFileSync(join(dir, 'artifacts/kubectl'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0xd0, 0xff, 0x0a, 0x41]))
      write('README.md', 'not read\n')
      write('hosts.yaml.orig', 'stale ansible_host=1.1.1.1\n')
      const inv = loadInventory(dir)
      expect([...inv.hosts.keys()]).to.deep.equal(['cp1'])
      const skipped = inv.warnings.filter((w) => w.startsWith('not an inventory, skipped: '))
      expect(skipped).to.deep.equal([
        `not an inventory, skipped: ${dir}/artifacts/admin.conf:1: host 'apiVersion:' ends in ':' (a colon after a host name must be followed by a port number)`,
        `not an inventory, skipped: ${dir}/artifacts/kubectl:1: is no UTF-8 text (an inventory file must be UTF-8 text)`,
        `not an inventory, skipped: ${dir}/artifacts/kubectl.sh:2: expected key=value after host '/x/kubectl', got '--kubeconfig' (write host variables as name=value)`,
      ])
    })

    it('lets an INI comment line hold bytes that are no UTF-8, as Ansible does', () => {
      writeFileSync(join(dir, 'hosts'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n[web]\nw1\n')]))
      expect([...loadInventory(dir).hosts.keys()]).to.deep.equal(['w1'])
    })

    it('fails naming the first problem when no file of the directory parses', () => {
      write('artifacts/admin.conf', 'apiVersion: v1\n')
      expect(errorOf(() => loadInventory(dir)).message).to.equal(
        `${dir}: no file in the inventory directory is an inventory (fix or remove the file: ${dir}/artifacts/admin.conf:1: host 'apiVersion:' ends in ':' (a colon after a host name must be followed by a port number))`,
      )
    })

    it('still fails on a file given directly with -i', () => {
      const p = write('admin.conf', 'apiVersion: v1\n')
      expect(errorOf(() => loadInventory(p)).message).to.match(/admin\.conf:1: host 'apiVersion:' ends in ':'/)
    })
  })

  it('falls back to INI for a file without extension that is not YAML, and reads YAML without extension', () => {
    const ini = write('plain', 'h1:2200 a=1\n')
    expect(loadInventory(ini).hostVars('h1')).to.deep.equal({ ansible_port: 2200, a: 1 })
    const yml = write('plainyaml', 'all:\n  hosts:\n    h2:\n      b: y\n')
    expect(loadInventory(yml).hostVars('h2')).to.deep.equal({ b: 'y' })
  })
})
