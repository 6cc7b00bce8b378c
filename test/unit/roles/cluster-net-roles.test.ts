// The load balancer, network plugin, DNS, label and kubeconfig roles load as `kubeseed play` loads them:
// every module known, every parameter valid, handlers present.

import { expect } from 'chai'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Item } from '../../../src/engine/playbook/model.js'
import { loadPlaybookFile } from './load-playbook.js'

const ROLES = ['kubernetes/loadbalancer', 'network_plugin/calico', 'network_plugin/flannel', 'network_plugin/cni',
  'kubernetes/node-label', 'kubernetes-apps/ansible', 'kubernetes/client-artifacts']

function loadRoles(roles: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'ks-roles-'))
  try {
    const file = join(dir, 'play.yaml')
    writeFileSync(file, `- hosts: all\n  roles:\n${['kubespray_defaults', ...roles].map((r) => `    - ${r}\n`).join('')}`)
    return loadPlaybookFile(file)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const names = (items: Item[]): string[] => items.flatMap((i) => (i.kind === 'block' ? [...names(i.block), ...names(i.rescue), ...names(i.always)] : [i.name ?? '']))

describe('cluster network roles', () => {
  it('load with valid modules and parameters', () => {
    const play = loadRoles(ROLES).plays[0]!
    expect(play.roles.map((r) => r.name)).to.include.members(ROLES)
    expect(play.handlers.map((h) => h.name)).to.include('Restart the API load balancer')
    const tasks = names(play.items)
    expect(tasks).to.include.members(['Calico | CNI configuration, as install-cni writes it', 'Flannel | CNI configuration, as install-cni copies it',
      'Manifests | Applied with kubectl', 'Node labels | node_labels set on the Node', 'Client | Fetched to the artifacts directory'])
  })
})
