import { expect } from 'chai'
import { join } from 'node:path'
import type { Where } from '../../../src/engine/errors.js'
import { combineArgs, parseParams } from '../../../src/engine/params.js'
import { PLAYBOOKS_DIR, ROLES_DIR } from '../../../src/engine/paths.js'
import { loadPlaybook } from '../../../src/engine/playbook/load.js'
import type { Item, Playbook } from '../../../src/engine/playbook/model.js'
import * as registry from '../../../src/tasks/index.js'

// The playbooks load as `kubeseed play` loads them: every role found, every module known, every parameter valid.
function load(name: string): Playbook {
  const module = (n: string) => {
    const t = registry.taskType(n)
    if (!t) return undefined
    return {
      name: t.name,
      check: (args: unknown, where: Where) => { parseParams(t, args, where, { templated: false }) },
      combine: (text: string, extra: Record<string, unknown>, where: Where) => combineArgs(t, text, extra, where),
    }
  }
  return loadPlaybook(join(PLAYBOOKS_DIR, name), { module, moduleNames: () => registry.taskTypeNames(), rolesPath: [ROLES_DIR] })
}

function modules(items: Item[]): string[] {
  return items.flatMap((i) => (i.kind === 'block' ? [...modules(i.block), ...modules(i.rescue), ...modules(i.always)] : [i.module]))
}

describe('cluster playbook', () => {
  it('runs in kubespray\'s order: preparation and runtime, etcd (and control planes\' client certificates), kubelet, control plane, joins', () => {
    const pb = load('cluster.yaml')
    expect(pb.plays.map((p) => p.hosts)).to.deep.equal(['k8s_cluster:etcd:calico_rr', 'k8s_cluster:etcd', 'etcd:kube_control_plane',
      'k8s_cluster', 'kube_control_plane', 'k8s_cluster'])
    expect(pb.plays[1]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/preinstall', 'download',
      'container-engine/runc', 'container-engine/cni', 'container-engine/containerd'])
    expect(pb.plays[2]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'etcd'])
    expect(pb.plays[3]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/node'])
    expect(pb.plays[4]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/control-plane', 'kubernetes/client'])
    expect(pb.plays[5]!.roles.map((r) => r.name)).to.deep.equal(['kubespray_defaults', 'kubernetes/kubeadm'])
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
