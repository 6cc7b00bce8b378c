import { expect } from 'chai'
import { join } from 'node:path'
import { PLAYBOOKS_DIR } from '../../../src/engine/paths.js'
import type { Item, Playbook } from '../../../src/engine/playbook/model.js'
import { loadPlaybookFile } from './load-playbook.js'
import { hostScope } from './role-scope.js'

const load = (name: string): Playbook => loadPlaybookFile(join(PLAYBOOKS_DIR, name))

function modules(items: Item[]): string[] {
  return items.flatMap((i) => (i.kind === 'block' ? [...modules(i.block), ...modules(i.rescue), ...modules(i.always)] : [i.module]))
}

describe('cluster playbook', () => {
  it('runs in kubespray\'s order: preparation and runtime, etcd (and control planes\' client certificates), kubelet, control plane, joins', () => {
    const pb = load('cluster.yaml')
    expect(pb.plays.map((p) => p.hosts)).to.deep.equal(['k8s_cluster:etcd:calico_rr', 'k8s_cluster:etcd', 'etcd:kube_control_plane',
      'k8s_cluster', 'kube_control_plane', 'k8s_cluster', 'kube_control_plane'])
    expect(pb.plays[1]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/preinstall', 'download',
      'container-engine/runc', 'container-engine/cni', 'container-engine/containerd'])
    expect(pb.plays[2]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'etcd'])
    expect(pb.plays[3]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/node', 'kubernetes/loadbalancer'])
    expect(pb.plays[4]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/control-plane', 'kubernetes/client'])
    expect(pb.plays[5]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/kubeadm', 'kubernetes/node-label',
      'network_plugin/calico', 'network_plugin/flannel', 'network_plugin/cni'])
    expect(pb.plays[6]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes-apps/ansible', 'kubernetes/client-artifacts'])
  })

  it('downloads with get_url before anything is unpacked, and pulls images after containerd runs', () => {
    const mods = modules(load('cluster.yaml').plays[1]!.items)
    expect(mods.indexOf('get_url')).to.be.greaterThan(-1)
    expect(mods.indexOf('get_url')).to.be.lessThan(mods.indexOf('unarchive'))
    expect(mods.lastIndexOf('systemd')).to.be.lessThan(mods.lastIndexOf('command'))
  })

  it('handlers restart containerd and etcd', () => {
    const pb = load('cluster.yaml')
    expect(pb.plays[1]!.handlers.map((h) => h.name)).to.include('Restart containerd')
    expect(pb.plays[2]!.handlers.map((h) => h.name)).to.include('Restart etcd')
  })
})

describe('etcd role', () => {
  const tasks = (items: Item[]): Array<Extract<Item, { kind: 'task' }>> =>
    items.flatMap((i) => (i.kind === 'block' ? tasks([...i.block, ...i.rescue, ...i.always]) : [i]))

  it('adds a joining member just before it starts, retrying while etcd calls the cluster unhealthy', () => {
    const names = tasks(load('cluster.yaml').plays[2]!.items).map((t) => t.name)
    const at = (n: string) => { const i = names.indexOf(n); expect(i, n).to.be.greaterThan(-1); return i }
    const order = ['etcd | Install etcd and etcdctl', 'etcd | Add this member to the running cluster', 'etcd | Environment file',
      'etcd | Restarted now when it changed', 'etcd | Enabled and running', 'etcd | Cluster is healthy']
    expect(order.map(at)).to.deep.equal([...order.map(at)].sort((a, b) => a - b))
    const add = tasks(load('cluster.yaml').plays[2]!.items).find((t) => t.name === 'etcd | Add this member to the running cluster')!
    expect(add.until).to.match(/etcd_member_add\.rc == 0/)
    expect(Number(add.retries)).to.be.greaterThan(0)
  })
})

describe('remove-node playbook', () => {
  it("names its hosts with -e node, as kubespray's does, and checks before anything else, fatally", () => {
    const pb = load('remove-node.yaml')
    expect(pb.plays.slice(0, 4).map((p) => p.hosts)).to.deep.equal(['{{ node }}', '{{ node }}', '{{ node }}', '{{ node }}'])
    expect(pb.plays[0]!.anyErrorsFatal).to.equal(true)
    expect(modules(pb.plays[0]!.items).filter((m) => m !== 'fail')).to.deep.equal(['command'])
    // Only the load balancers' play reads facts, and only of the nodes that stay.
    expect(pb.plays.map((p) => !!p.gatherFacts)).to.deep.equal([false, false, false, false, true])
  })

  it("runs kubespray's order: drain, etcd member, reset (unless reset_nodes=false), delete the Node", () => {
    const pb = load('remove-node.yaml')
    expect(pb.plays.slice(1, 4).map((p) => p.roles.map((r) => r.name))).to.deep.equal([
      ['kubespray_defaults', 'remove-node/pre-remove', 'remove-node/remove-etcd-node'],
      ['kubespray_defaults', 'reset'],
      ['kubespray_defaults', 'remove-node/post-remove'],
    ])
    const stop = pb.plays[2]!.items[0]
    expect(stop?.kind === 'task' && [stop.module, stop.args, stop.when]).to.deep.equal(['meta', 'end_host', ['not (reset_nodes | default(true) | bool)']])
  })

  it('then updates the load balancers of the nodes that stay, leaving out the removed hosts, only when a control plane goes', () => {
    const play = load('remove-node.yaml').plays[4]!
    expect(play.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/loadbalancer'])
    const scope = hostScope('node3', [], { node: 'node2, node4' })
    expect(scope.render(play.hosts)).to.equal('k8s_cluster:!kube_control_plane:!node2:!node4')
    expect(scope.child({ source: 'play vars', vars: play.vars as Record<string, unknown> }).get('loadbalancer_apiserver_removed_hosts')).to.deep.equal(['node2', 'node4'])
    const stop = play.items[0]
    expect(stop?.kind === 'task' && [stop.module, stop.args]).to.deep.equal(['meta', 'end_host'])
    const ends = (node: string) => (stop?.kind === 'task' && hostScope('node3', ['kubernetes/loadbalancer'], { node, loadbalancer_apiserver_removed_hosts: node.split(',') }).truthy(stop.when))
    // node1 is the control plane of these three nodes.
    expect(ends('node2')).to.equal(true)
    expect(ends('node2,node1')).to.equal(false)
    expect(hostScope('node3', ['kubernetes/loadbalancer'], { node: 'node1', loadbalancer_apiserver_removed_hosts: ['node1'], loadbalancer_apiserver_localhost: false })
      .truthy(stop?.kind === 'task' ? stop.when : [])).to.equal(true)
  })
})

describe('scale playbook', () => {
  const roleNames = (pb: Playbook, i: number) => pb.plays[i]!.roles.map((r) => r.name).filter((n) => n !== 'kubespray_defaults')

  it('finds the new nodes from the cluster, fatally, then every play leaves the hosts in the cluster alone first', () => {
    const pb = load('scale.yaml')
    expect(pb.plays.map((p) => p.hosts)).to.deep.equal(['k8s_cluster:etcd:calico_rr', 'k8s_cluster:etcd', 'k8s_cluster:etcd',
      'etcd:kube_control_plane', 'k8s_cluster', 'kube_node', 'kube_control_plane', 'k8s_cluster'])
    expect(pb.plays[1]!.anyErrorsFatal).to.equal(true)
    for (const p of pb.plays.slice(2)) {
      const first = p.items[0]
      expect(first?.kind === 'task' && [first.module, first.args], p.name).to.deep.equal(['meta', 'end_host'])
    }
  })

  it('adds etcd members one at a time, each joining the running cluster', () => {
    const etcd = load('scale.yaml').plays[3]!
    expect(etcd.serial).to.deep.equal([1])
    expect(etcd.vars.etcd_cluster_state).to.equal('existing')
    expect(etcd.roles.map((r) => r.name)).to.include('etcd')
  })

  it('new workers get their load balancer before they join; new control planes join before the workers; then labels and the network plugin', () => {
    const pb = load('scale.yaml')
    expect(roleNames(pb, 4)).to.deep.equal(['kubernetes/node'])
    expect(roleNames(pb, 5)).to.deep.equal(['kubernetes/loadbalancer'])
    expect(roleNames(pb, 6)).to.deep.equal(['kubernetes/control-plane', 'kubernetes/client'])
    expect(roleNames(pb, 7)).to.deep.equal(['kubernetes/kubeadm', 'kubernetes/node-label', 'network_plugin/calico', 'network_plugin/flannel', 'network_plugin/cni'])
  })
})
