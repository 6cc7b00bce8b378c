import { expect } from 'chai'
import { load } from 'js-yaml'
import { renderGroupVarsAll, renderHostsYaml, renderKnownHosts } from '../../../src/sandbox/inventory.js'
import type { SandboxState } from '../../../src/sandbox/state.js'

const state: SandboxState = {
  name: 'demo', stateDir: '/srv/my sandbox', subnet: '10.231.0.0/24', bridge: 'ks-demo', bastion: '10.231.0.1',
  rootfs: '/var/cache/kubeseed/rootfs', controlPlanes: ['node1'], etcd: ['node1'], workers: ['node2', 'node3'],
  deployUser: 'deploy', deployPassword: 'pw',
  nodes: [1, 2, 3].map((i) => ({ name: `node${i}`, machine: `demo-node${i}`, address: `10.231.0.${i + 1}` })),
}

describe('sandbox inventory', () => {
  it('writes kubespray groups with k8s_cluster as the parent of control planes and nodes', () => {
    const inv = load(renderHostsYaml(state)) as any
    expect(inv.all.hosts.node2).to.deep.equal({ ansible_host: '10.231.0.3', ip: '10.231.0.3', access_ip: '10.231.0.3' })
    expect(Object.keys(inv.all.children.kube_control_plane.hosts)).to.deep.equal(['node1'])
    expect(Object.keys(inv.all.children.etcd.hosts)).to.deep.equal(['node1'])
    expect(Object.keys(inv.all.children.kube_node.hosts)).to.deep.equal(['node2', 'node3'])
    expect(Object.keys(inv.all.children.k8s_cluster.children)).to.have.members(['kube_control_plane', 'kube_node', 'calico_rr'])
  })

  it('logs in as root with the sandbox key and strict checking against its known_hosts, quoted for shlex', () => {
    const vars = load(renderGroupVarsAll(state)) as Record<string, string>
    expect(vars.ansible_user).to.equal('root')
    expect(vars.ansible_ssh_private_key_file).to.equal('/srv/my sandbox/id_ed25519')
    expect(vars.ansible_ssh_common_args).to.equal("-o StrictHostKeyChecking=yes -o UserKnownHostsFile='/srv/my sandbox/known_hosts'")
    expect(vars.sandbox_deploy_password).to.equal('pw')
  })

  it('lists each node by name and address in known_hosts, without the key comment', () => {
    const text = renderKnownHosts([{ name: 'node1', address: '10.231.0.2', publicKey: 'ssh-ed25519 AAAAkey root@node1\n' }])
    expect(text).to.equal('node1,10.231.0.2 ssh-ed25519 AAAAkey\n')
  })
})
