import { expect } from 'chai'
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { kubeseed } from '../../harness/cli.js'

// kubespray's sample inventory as a user hands it over (hosts uncommented, no calico_rr group), every
// host pointed at a loopback port nobody listens on: each bundled playbook must load it and end with
// "unreachable" (exit 3), never with bad input (exit 4).
async function closedPorts(n: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((res) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => res(s))
  })))
  const ports = servers.map((s) => (s.address() as { port: number }).port)
  await Promise.all(servers.map((s) => new Promise((res) => s.close(res))))
  return ports
}

describe('every bundled playbook accepts kubespray\'s sample inventory', function () {
  this.timeout(300_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-sample-'))
  const inventory = join(dir, 'inv', 'inventory.ini')
  const playbooks = readdirSync(join(PACKAGE_ROOT, 'playbooks')).filter((f) => f.endsWith('.yaml')).sort()

  before(async () => {
    cpSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'inventory', 'kubespray-sample'), join(dir, 'inv'), { recursive: true })
    const ports = await closedPorts(6)
    let i = 0
    const ini = readFileSync(inventory, 'utf8').replace(/ansible_host=\S+/g, () => `ansible_host=127.0.0.1 ansible_port=${ports[i++]}`)
    expect(i).to.equal(6)
    writeFileSync(inventory, ini)
  })

  it('finds the playbooks', () => expect(playbooks).to.include.members(['cluster.yaml', 'facts.yaml', 'reset.yaml', 'scale.yaml']))

  for (const pb of playbooks) {
    it(`${pb}: unreachable hosts give exit 3, the missing calico_rr group a warning`, () => {
      // The extra vars a user gives these playbooks: reset's confirmation, remove-node's node and confirmation.
      const extra = ['-e', 'reset_confirmation=yes', '-e', 'node=node6', '-e', 'skip_confirmation=true']
      const r = kubeseed(['play', join(PACKAGE_ROOT, 'playbooks', pb), '-i', inventory, ...extra, '--no-progress'], { timeoutMs: 120_000 })
      expect(r.code, r.stdout.slice(-2000) + r.stderr).to.equal(3)
      expect(r.stdout).to.match(pb === 'remove-node.yaml' ? /unreachable: \[node6\]/ : /unreachable: \[node1\]/)
      const text = readFileSync(join(PACKAGE_ROOT, 'playbooks', pb), 'utf8')
      if (text.includes('calico_rr')) expect(r.stdout).to.include('[WARNING]: Could not match supplied host pattern, ignoring: calico_rr')
      // The sample's kube_apiserver_ip, skydns_server... evaluate over kubespray_defaults: nothing to warn about.
      expect(r.stdout).not.to.match(/cannot be evaluated by kubeseed|kubeseed uses/)
      expect(r.stdout.match(/WARNING\]: the inventory has no k8s_cluster group/g)).to.have.length(1)
    })
  }

  it('--limit naming a host the inventory lacks stays an error (exit 4)', () => {
    const r = kubeseed(['play', join(PACKAGE_ROOT, 'playbooks', 'facts.yaml'), '-i', inventory, '--limit', 'node9', '--no-progress'])
    expect(r.code).to.equal(4)
    expect(r.stderr + r.stdout).to.match(/unknown group or host 'node9'/)
  })
})
