// scale and reset on the air-gapped sandbox, as a kubespray user runs them: the cluster without its last
// node, `scale --limit` for the node added later, then `reset` of one node and `cluster --limit` to bring it
// back. Every run is repeated and must then change nothing.

import { expect } from 'chai'
import type { SandboxBundle } from '../../../src/sandbox/bundle.js'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxDown, sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { downloadCachePath, downloadedImageNames } from '../../harness/download-plan.js'
import { events, kubeseedAsync, totalChanged, type CliResult, type Recap } from '../../harness/cli.js'

// Its own sandbox and subnet, so it runs beside other sandbox suites.
const NAME = 'rs'
const SUBNET = '10.231.17.0/24'
const NEW_NODE = 'node4'
const RESET_NODE = 'node3'

type Event = Record<string, unknown>
const changedTasks = (evs: Event[], host: string) =>
  evs.filter((e) => e.type === 'result' && e.host === host && e.status === 'changed').map((e) => e.task)

describe('scale and reset on the air-gapped sandbox (scale.yaml, reset.yaml)', function () {
  this.timeout(5 * 60_000)
  let up: SandboxUpResult
  let bundle: SandboxBundle
  let env: AirgapSandbox | undefined
  let inventory: string

  async function run(command: string, ...args: string[]): Promise<{ r: CliResult; events: Event[]; recap: Recap }> {
    const r = await kubeseedAsync([command, '-i', inventory, '--output', 'json', ...args])
    return { r, ...events(r) }
  }
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  const unitState = (node: string, unit: string) => sh(node, `systemctl show -p LoadState,ActiveState --value ${unit}.service`)
  const images = async (node: string) => (await sh(node, '/usr/local/bin/ctr -n k8s.io images ls -q')).trim().split('\n')
  function nodeImages(): string[] {
    const names = downloadedImageNames(bundle.index.artifacts.images, ['k8s_cluster', 'kube_node'])
    return bundle.index.artifacts.images.filter((i) => names.includes(i.name)).map((i) => `${i.repo}:${i.tag}`)
  }
  /** What cluster.yaml installed and a reset must take away, as found on the node. */
  async function leftovers(node: string): Promise<string> {
    return (await sh(node, [
      'for p in /etc/containerd /etc/crictl.yaml /etc/systemd/system/containerd.service /etc/systemd/system/etcd.service' +
      ' /opt/cni/bin /etc/cni /tmp/releases /etc/kubernetes /var/lib/kubelet /etc/ssl/etcd /var/lib/etcd /etc/etcd.env;' +
      ' do [ -e "$p" ] && echo "$p"; done',
      'ls /usr/local/bin; ls -A /var/lib/containerd',
    ].join('\n'))).trim()
  }
  function expectNoChange(run: { r: CliResult; events: Event[]; recap: Recap }): void {
    expect(run.r.code, run.r.stderr).to.equal(0)
    for (const h of Object.keys(run.recap.hosts)) expect(changedTasks(run.events, h), h).to.deep.equal([])
    expect(totalChanged(run.recap)).to.equal(0)
  }

  before(async function () {
    this.timeout(10 * 60_000)
    env = await airgapSandbox({ name: NAME, nodes: 4, subnet: SUBNET })
    up = env.sandbox
    bundle = env.bundle
    inventory = env.inventory
  })

  after(async function () {
    this.timeout(2 * 60_000)
    await env?.stop()
    await sandboxDown({ name: NAME })
  })

  it('the sandbox splits 4 nodes into one control plane with etcd and three workers', () => {
    expect(up.state.controlPlanes).to.deep.equal(['node1'])
    expect(up.state.etcd).to.deep.equal(['node1'])
    expect(up.state.workers).to.deep.equal(['node2', 'node3', NEW_NODE])
  })

  it(`cluster --limit '!${NEW_NODE}' installs every node but the one added later`, async () => {
    const first = await run('cluster', '--limit', `!${NEW_NODE}`)
    expect(first.r.code, first.r.stderr).to.equal(0)
    expect(Object.keys(first.recap.hosts).sort()).to.deep.equal(['node1', 'node2', 'node3'])
    for (const h of ['node1', 'node2', 'node3']) expect(first.recap.hosts[h]!.changed, h).to.be.greaterThan(0)
    expect(await unitState(NEW_NODE, 'containerd')).to.equal('not-found\ninactive\n')
  })

  it(`scale --limit ${NEW_NODE} converges the new node only, then changes nothing`, async () => {
    const first = await run('scale', '--limit', NEW_NODE)
    expect(first.r.code, first.r.stderr).to.equal(0)
    expect(Object.keys(first.recap.hosts)).to.deep.equal([NEW_NODE])
    expect(first.recap.hosts[NEW_NODE]!.changed).to.be.greaterThan(0)
    expect(first.events.filter((e) => e.type === 'result' && e.host !== NEW_NODE)).to.deep.equal([])
    expect(first.events.some((e) => e.type === 'result' && String(e.task).startsWith('etcd'))).to.equal(false)

    expect(await unitState(NEW_NODE, 'containerd')).to.equal('loaded\nactive\n')
    expect(await images(NEW_NODE)).to.include.members(nodeImages())
    expect(await unitState(NEW_NODE, 'etcd')).to.equal('not-found\ninactive\n')
    expect(await sh(NEW_NODE, 'ls /opt/cni/bin')).to.match(/^bridge$/m)

    expectNoChange(await run('scale', '--limit', NEW_NODE))
  })

  it('reset without confirmation fails with a clear message and changes nothing', async () => {
    const refused = await run('reset')
    expect(refused.r.code).to.equal(2)
    expect(totalChanged(refused.recap)).to.equal(0)
    for (const h of ['node1', 'node2', 'node3', NEW_NODE]) {
      expect(refused.recap.failures[h], h).to.match(/nothing was changed\. Run it again with -e reset_confirmation=yes/)
    }
    expect(refused.events.some((e) => e.type === 'play' && e.name === 'Reset the hosts')).to.equal(false)
    expect(await unitState(RESET_NODE, 'containerd')).to.equal('loaded\nactive\n')
  })

  it(`reset --limit ${RESET_NODE} removes the runtime, binaries and configuration, then changes nothing`, async () => {
    // The kubeadm the later part of cluster.yaml installs, so the reset has a kubeadm to call.
    await sh(RESET_NODE, `install -m 0755 ${downloadCachePath(bundle, 'kubeadm')} /usr/local/bin/kubeadm && mkdir -p /etc/kubernetes/manifests /var/lib/kubelet`)
    const reset = await run('reset', '-e', 'reset_confirmation=yes', '--limit', RESET_NODE)
    expect(reset.r.code, reset.r.stderr).to.equal(0)
    expect(Object.keys(reset.recap.hosts)).to.deep.equal([RESET_NODE])
    expect(changedTasks(reset.events, RESET_NODE)).to.include.members([
      'Reset | kubeadm reset', 'Reset | Stop and disable the other services', 'Reset | Remove the binaries',
      'Reset | Remove configuration, certificates, data, unit files and the download cache',
    ])

    expect(await unitState(RESET_NODE, 'containerd')).to.equal('not-found\ninactive\n')
    expect(await sh(RESET_NODE, 'systemctl is-enabled containerd.service 2>&1 || true')).not.to.match(/^enabled/)
    expect(await leftovers(RESET_NODE)).to.equal('')
    expect(await unitState('node2', 'containerd')).to.equal('loaded\nactive\n')

    expectNoChange(await run('reset', '-e', 'reset_confirmation=yes', '--limit', RESET_NODE))
  })

  it(`cluster --limit ${RESET_NODE} brings the node back, then changes nothing`, async () => {
    // kubeadm refuses to join a name whose Node is still Ready in the cluster, and the reset host's Node stays
    // Ready until its status goes stale: the user deletes it first, as with real kubeadm.
    await sh('node1', `kubectl delete node ${RESET_NODE}`)
    const back = await run('cluster', '--limit', RESET_NODE)
    expect(back.r.code, JSON.stringify(back.recap.failures)).to.equal(0)
    expect(back.recap.hosts[RESET_NODE]!.changed).to.be.greaterThan(0)
    expect(await unitState(RESET_NODE, 'containerd')).to.equal('loaded\nactive\n')
    expect(await images(RESET_NODE)).to.include.members(nodeImages())

    expectNoChange(await run('cluster', '--limit', RESET_NODE))
  })

  it('reset of the etcd member stops etcd and removes its data, certificates and unit, then changes nothing', async () => {
    const reset = await run('reset', '-e', 'reset_confirmation=yes', '--limit', 'node1')
    expect(reset.r.code, JSON.stringify(reset.recap.failures)).to.equal(0)
    expect(Object.keys(reset.recap.hosts)).to.deep.equal(['node1'])
    expect(await unitState('node1', 'etcd')).to.equal('not-found\ninactive\n')
    expect(await unitState('node1', 'containerd')).to.equal('not-found\ninactive\n')
    expect(await leftovers('node1')).to.equal('')

    expectNoChange(await run('reset', '-e', 'reset_confirmation=yes', '--limit', 'node1'))
  })
})
