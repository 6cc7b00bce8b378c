// Day-2 playbooks on the air-gapped sandbox: a cluster of one control plane (with etcd) and one worker at
// Kubernetes 1.35; `scale` finds the worker added later to the inventory and joins it (only that host changes);
// `remove-node` of it is refused without confirmation, then drains it, deletes it from the API and resets its
// host; `remove-node -e reset_nodes=false` of the other worker, whose host is unreachable, cleans the cluster
// side only. Every run is repeated and must then change nothing. Wall times are printed.

import { expect } from 'chai'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxDown, sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { events, kubeseedAsync, totalChanged, type CliResult, type Recap } from '../../harness/cli.js'

// Its own sandbox and subnet, so it runs beside the other sandbox suites.
const NAME = 'd2'
const SUBNET = '10.231.21.0/24'
const KUBE_VERSION = '1.35.8'
const CONTROL_PLANE = 'node1'
const WORKER = 'node2'
const NEW_NODE = 'node3'

type Event = Record<string, unknown>
interface Run { r: CliResult; events: Event[]; recap: Recap; seconds: number }

const changedTasks = (evs: Event[], host: string) =>
  evs.filter((e) => e.type === 'result' && e.host === host && e.status === 'changed').map((e) => e.task)
/** Hosts a run executed anything on, its own or delegated to, beyond gathering facts. */
const touchedHosts = (evs: Event[]) => [...new Set(evs.filter((e) => e.type === 'batch').map((e) => String(e.host)))].sort()

describe('day-2 playbooks on the air-gapped sandbox (scale.yaml, remove-node.yaml)', function () {
  this.timeout(10 * 60_000)
  let up: SandboxUpResult
  let env: AirgapSandbox | undefined
  let inventory: string

  async function run(command: string, ...args: string[]): Promise<Run> {
    const t0 = Date.now()
    const r = await kubeseedAsync([command, '-i', inventory, '--output', 'json', '--known-hosts', up.knownHosts, ...args])
    const seconds = (Date.now() - t0) / 1000
    process.stdout.write(`      kubeseed ${command} ${args.join(' ')}: ${seconds.toFixed(1)} s wall\n`)
    return { r, ...events(r), seconds }
  }
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  const apiNodes = async () => (await sh(CONTROL_PLANE, 'kubectl get nodes -o name')).trim().split('\n').sort()
  const failures = (x: Run) => `${JSON.stringify(x.recap.failures)} ${x.r.stderr.slice(-1500)}`
  function expectNoChange(x: Run): void {
    expect(x.r.code, failures(x)).to.equal(0)
    for (const h of Object.keys(x.recap.hosts)) expect(changedTasks(x.events, h), h).to.deep.equal([])
    expect(totalChanged(x.recap)).to.equal(0)
  }

  before(async function () {
    this.timeout(15 * 60_000)
    env = await airgapSandbox({ name: NAME, nodes: 3, subnet: SUBNET, kubeVersion: KUBE_VERSION })
    up = env.sandbox
    inventory = env.inventory
  })

  after(async function () {
    this.timeout(2 * 60_000)
    await env?.stop()
    await sandboxDown({ name: NAME })
  })

  it('the sandbox is one control plane with etcd and two workers', () => {
    expect(up.state.controlPlanes).to.deep.equal([CONTROL_PLANE])
    expect(up.state.etcd).to.deep.equal([CONTROL_PLANE])
    expect(up.state.workers).to.deep.equal([WORKER, NEW_NODE])
  })

  it(`cluster --limit '!${NEW_NODE}' brings up ${CONTROL_PLANE} and ${WORKER} at ${KUBE_VERSION}, then changes nothing`, async () => {
    const first = await run('cluster', '--limit', `!${NEW_NODE}`)
    expect(first.r.code, failures(first)).to.equal(0)
    expect(await apiNodes()).to.deep.equal([`node/${CONTROL_PLANE}`, `node/${WORKER}`])
    expect((await sh(CONTROL_PLANE, 'kubectl version -o json'))).to.contain(`"gitVersion": "v${KUBE_VERSION}"`)
    expectNoChange(await run('cluster', '--limit', `!${NEW_NODE}`))
  })

  it(`scale finds ${NEW_NODE} missing from the cluster and joins it, changing only it, then changes nothing`, async () => {
    const scale = await run('scale')
    expect(scale.r.code, failures(scale)).to.equal(0)
    expect(scale.recap.hosts[NEW_NODE]!.changed).to.be.greaterThan(0)
    expect(scale.recap.hosts[CONTROL_PLANE]!.changed).to.equal(0)
    expect(scale.recap.hosts[WORKER]!.changed).to.equal(0)
    // The old worker only had its facts read; the first control plane lists the nodes, hands out the join
    // token and CA hash, and reads the new Node for its labels.
    expect(touchedHosts(scale.events)).to.deep.equal([CONTROL_PLANE, NEW_NODE])
    const elsewhere = scale.events.filter((e) => e.type === 'result' && e.status === 'changed' && e.delegatedTo !== undefined && e.delegatedTo !== NEW_NODE)
    expect(elsewhere.map((e) => e.task)).to.deep.equal(['kubeadm | Bootstrap token, made on the first control plane'])
    process.stdout.write(`      scale touched ${touchedHosts(scale.events).length} of ${up.state.nodes.length} hosts beyond facts: ${touchedHosts(scale.events).join(', ')}\n`)
    expect(await apiNodes()).to.deep.equal([`node/${CONTROL_PLANE}`, `node/${WORKER}`, `node/${NEW_NODE}`])
    expectNoChange(await run('scale'))
  })

  it('remove-node refuses without a node, without confirmation, and for the last control plane, changing nothing', async () => {
    const noNode = await kubeseedAsync(['remove-node', '-i', inventory, '--known-hosts', up.knownHosts])
    expect(noNode.code).to.equal(4)
    expect(noNode.stderr.trim().split('\n')).to.have.length(1)
    expect(noNode.stderr).to.match(/'node' is not set \(give it on the command line: -e node=NAME\[,NAME\]\)/)

    const unconfirmed = await run('remove-node', '-e', `node=${NEW_NODE}`)
    expect(unconfirmed.r.code).to.equal(2)
    expect(totalChanged(unconfirmed.recap)).to.equal(0)
    expect(unconfirmed.recap.failures[NEW_NODE]).to.match(/nothing was changed\. Run it again with -e skip_confirmation=true/)
    expect(touchedHosts(unconfirmed.events)).to.deep.equal([])

    const lastControlPlane = await run('remove-node', '-e', `node=${CONTROL_PLANE}`, '-e', 'skip_confirmation=true')
    expect(lastControlPlane.r.code).to.equal(2)
    expect(lastControlPlane.recap.failures[CONTROL_PLANE]).to.match(/refusing to remove every control plane \(node1\)/)
    expect(totalChanged(lastControlPlane.recap)).to.equal(0)
    expect(await apiNodes()).to.have.length(3)
  })

  it(`remove-node -e node=${NEW_NODE} drains and deletes it, resets its host, then changes nothing`, async () => {
    const checked = await run('remove-node', '-e', `node=${NEW_NODE}`, '-e', 'skip_confirmation=true', '--check')
    expect(checked.r.code, failures(checked)).to.equal(0)
    expect(await apiNodes(), '--check changed nothing').to.include(`node/${NEW_NODE}`)
    expect(await sh(NEW_NODE, 'systemctl is-active kubelet containerd')).to.equal('active\nactive\n')

    const removal = await run('remove-node', '-e', `node=${NEW_NODE}`, '-e', 'skip_confirmation=true')
    expect(removal.r.code, failures(removal)).to.equal(0)
    expect(changedTasks(removal.events, NEW_NODE)).to.include.members([
      'Remove-node | Drain the node except DaemonSet Pods', 'Reset | kubeadm reset', 'Remove-node | Delete the node',
    ])
    expect(touchedHosts(removal.events)).to.deep.equal([CONTROL_PLANE, NEW_NODE])
    expect(await apiNodes()).to.deep.equal([`node/${CONTROL_PLANE}`, `node/${WORKER}`])
    expect((await sh(NEW_NODE, 'systemctl show -p LoadState --value kubelet.service containerd.service')).trim().split(/\n+/)).to.deep.equal(['not-found', 'not-found'])
    expect(await sh(NEW_NODE, '[ ! -e /etc/kubernetes ] || echo /etc/kubernetes; ls -A /usr/local/bin')).to.equal('')
    expectNoChange(await run('remove-node', '-e', `node=${NEW_NODE}`, '-e', 'skip_confirmation=true'))
  })

  it(`remove-node -e reset_nodes=false removes ${WORKER} from the cluster without contacting its host (sshd stopped), then changes nothing`, async () => {
    // The host is gone as far as kubeseed can tell: no kubelet to register the Node again, no sshd to answer.
    await sh(WORKER, 'systemctl stop kubelet; systemctl disable --now ssh.socket 2>/dev/null; systemctl disable --now ssh.service sshd.service 2>/dev/null; true')
    const args = ['-e', `node=${WORKER}`, '-e', 'skip_confirmation=true', '-e', 'reset_nodes=false']
    const removal = await run('remove-node', ...args)
    expect(removal.r.code, failures(removal)).to.equal(0)
    expect(touchedHosts(removal.events)).to.deep.equal([CONTROL_PLANE])
    expect(removal.recap.hosts[WORKER]!.unreachable).to.equal(false)
    expect(changedTasks(removal.events, WORKER)).to.deep.equal(['Remove-node | Drain the node except DaemonSet Pods', 'Remove-node | Delete the node'])
    expect(await apiNodes()).to.deep.equal([`node/${CONTROL_PLANE}`])
    expectNoChange(await run('remove-node', ...args))
  })
})
