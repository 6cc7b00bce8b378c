// Day-2 on the air-gapped sandbox, as a user lives it (issue "Day-2 on a running cluster"), on one 5-node
// sandbox whose mirror carries Kubernetes 1.31.14 and 1.32.13: a cluster of one control plane (with etcd) and one
// worker at 1.31; the inventory grows by a worker and two control planes with etcd and `scale` joins them,
// touching the old nodes only where their files must change (the worker's load balancer); `upgrade` to 1.32
// refuses first what it must (a skipped minor, a downgrade, a mirror without the target, a node NotReady,
// etcd with a member down, a confirmation asked without a terminal), prints its plan with --check, stops on a
// drain a PodDisruptionBudget blocks, is interrupted with Ctrl-C after the first worker's uncordon, resumes
// without redoing finished nodes and then changes nothing; `remove-node` takes out a worker (gone from the API,
// host reset) and then a dead control plane with its etcd member, reset_nodes=false (etcd healthy with the two
// that stay), refusing first what would break quorum; `reset` clears every host and `cluster` builds a new
// cluster at 1.32 (the release the user now runs) on the same hosts. Every playbook runs twice, the second run
// changing nothing. Each step's wall time and touched-host count are printed.

import { expect } from 'chai'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import { dump } from 'js-yaml'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxDown, sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { events, kubeseedAsync, totalChanged, type CliResult, type Recap } from '../../harness/cli.js'

// Its own sandbox and subnet, so it runs beside the other sandbox suites.
const NAME = 'd2'
const SUBNET = '10.231.21.0/24'
const FROM = '1.31.14'
const TO = '1.32.13'
const FIRST = 'node1'
const WORKER = 'node2'
const NEW_WORKER = 'node3'
const NEW_CONTROL_PLANES = ['node4', 'node5']
const ALL = [FIRST, WORKER, NEW_WORKER, ...NEW_CONTROL_PLANES]
const CONTROL_PLANES = [FIRST, ...NEW_CONTROL_PLANES]
const WORKERS = [WORKER, NEW_WORKER]
const CORDON_LABEL = 'kubeseed.io/upgrade-cordoned'

type Event = Record<string, unknown>
interface Run { r: CliResult; events: Event[]; recap: Recap & { held?: Record<string, string>; interrupted?: boolean }; seconds: number }

const changedTasks = (evs: Event[], host: string) =>
  evs.filter((e) => e.type === 'result' && e.host === host && e.status === 'changed').map((e) => String(e.task))
/** Tasks that changed something on `target` on behalf of another host (delegate_to). */
const changedThrough = (evs: Event[], target: string) => [...new Set(evs
  .filter((e) => e.type === 'result' && e.status === 'changed' && e.delegatedTo === target && e.host !== target).map((e) => String(e.task)))].sort()
const sorted = (xs: string[]) => [...xs].sort()
/** Tasks that change a node itself, beyond the download play. */
const upgradeTasks = (evs: Event[], host: string) => changedTasks(evs, host).filter((t) => t.startsWith('Upgrade |'))
/** Hosts the recap counts changes for (a task delegated to the first control plane counts for its own host). */
const changedHosts = (x: Run) => sorted(Object.entries(x.recap.hosts).filter(([, h]) => h.changed > 0).map(([n]) => n))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('day-2 on the air-gapped sandbox: scale control planes and etcd, upgrade 1.31 to 1.32, remove-node, reset, a fresh cluster', function () {
  this.timeout(10 * 60_000)
  let up: SandboxUpResult
  let env: AirgapSandbox | undefined
  let inventory: string
  const steps: string[] = []
  /** Variables every run gets: after the upgrade, the release the user now runs. */
  let release: string[] = []
  /** The first cluster's CA: the cluster built after reset must have its own. */
  let firstCa = ''
  const caOf = () => sh(FIRST, 'openssl x509 -noout -fingerprint -sha256 -in /etc/kubernetes/pki/ca.crt')

  /** The inventory a user keeps: these control planes (each an etcd member) and these workers. */
  function writeInventory(controlPlanes: string[], workers: string[]): void {
    const node = (n: string) => up.state.nodes.find((x) => x.name === n)!
    const hosts = Object.fromEntries([...controlPlanes, ...workers].map((n) => [n, { ansible_host: node(n).address, ip: node(n).address, access_ip: node(n).address }]))
    const group = (names: string[]) => ({ hosts: Object.fromEntries(names.map((n) => [n, null])) })
    const inv = { all: { hosts, children: {
      kube_control_plane: group(controlPlanes), etcd: group(controlPlanes), kube_node: group(workers),
      k8s_cluster: { children: { kube_control_plane: null, kube_node: null } },
    } } }
    writeFileSync(join(inventory, 'hosts.yaml'), dump(inv))
  }

  async function run(command: string, ...args: string[]): Promise<Run> {
    return runWith({}, command, ...args)
  }
  async function runWith(opts: { label?: string; onSpawn?: (child: ChildProcess) => void; noTerminal?: boolean }, command: string, ...args: string[]): Promise<Run> {
    const t0 = Date.now()
    const r = await kubeseedAsync([command, '-i', inventory, '--output', 'json', '--known-hosts', up.knownHosts, ...release, ...args], opts)
    const seconds = (Date.now() - t0) / 1000
    const x = { r, ...events(r), seconds }
    const changed = changedHosts(x)
    const line = `${opts.label ? `${opts.label}: ` : ''}kubeseed ${command} ${args.join(' ')}: ${seconds.toFixed(1)} s wall, ` +
      `touched ${x.recap.touched.length} of ${ALL.length} hosts (${x.recap.touched.join(', ')}), changed ${changed.length} (${changed.join(', ')})`
    steps.push(line)
    process.stdout.write(`      ${line}\n`)
    return x
  }
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  const apiNodes = async (through = FIRST) => (await sh(through, 'kubectl get nodes -o name')).trim().split('\n').map((l) => l.replace('node/', '')).sort()
  const etcdctl = (node: string, args: string) =>
    `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/ssl/etcd/ssl/ca.pem ` +
    `--cert=/etc/ssl/etcd/ssl/admin-${node}.pem --key=/etc/ssl/etcd/ssl/admin-${node}-key.pem ${args}`
  /** Client URLs etcd itself reports healthy, over its own member list. */
  async function etcdHealthy(node: string): Promise<string[]> {
    const out = await sh(node, `${etcdctl(node, 'endpoint health --cluster')} 2>&1`)
    return out.split('\n').filter((l) => l.includes(' is healthy')).map((l) => l.split(' ')[0]!).sort()
  }
  const clientUrl = (n: string) => `https://${up.state.nodes.find((x) => x.name === n)!.address}:2379`
  const apiVersion = (n: string) => sh(FIRST, `curl -sk --max-time 5 https://${up.state.nodes.find((x) => x.name === n)!.address}:6443/version`)
  /** Each node's kubelet version, readiness, whether it is cordoned or carries the upgrade's mark, from the API. */
  async function apiNodeStates(): Promise<Record<string, { version: string; ready: string; cordoned: boolean; marked: boolean }>> {
    const list = JSON.parse(await sh(FIRST, 'kubectl get nodes -o json')) as { items: Array<{ metadata: { name: string; labels?: Record<string, string> }; spec?: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string }; conditions?: Array<{ type: string; status: string }> } }> }
    return Object.fromEntries(list.items.map((n) => [n.metadata.name, {
      version: n.status.nodeInfo.kubeletVersion,
      ready: n.status.conditions?.find((c) => c.type === 'Ready')?.status ?? 'Unknown',
      cordoned: n.spec?.unschedulable === true,
      marked: CORDON_LABEL in (n.metadata.labels ?? {}),
    }]))
  }
  const versions = async () => Object.fromEntries(Object.entries(await apiNodeStates()).map(([n, s]) => [n, s.version]))
  const cordoned = async () => Object.entries(await apiNodeStates()).filter(([, s]) => s.cordoned || s.marked).map(([n]) => n).sort()
  const atVersion = (v: string) => Object.fromEntries(sorted(ALL).map((n) => [n, `v${v}`]))
  const serverVersion = async () => (JSON.parse(await sh(FIRST, 'kubectl version -o json')) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion
  async function waitReady(node: string, status: 'True' | 'False'): Promise<void> {
    for (let i = 0; i < 60 && (await apiNodeStates())[node]?.ready !== status; i++) await sleep(1000)
    expect((await apiNodeStates())[node]?.ready, `${node} Ready`).to.equal(status)
  }
  async function waitEtcdHealthy(count: number): Promise<void> {
    for (let i = 0; i < 30 && (await etcdHealthy(FIRST)).length < count; i++) await sleep(1000)
    expect(await etcdHealthy(FIRST)).to.have.length(count)
  }
  /** An upgrade refused by its checks: exit 2, one reason in one line, nothing changed anywhere. */
  async function expectUpgradeRefused(x: Run, why: RegExp): Promise<void> {
    expect(x.r.code, failures(x)).to.equal(2)
    const reasons = [...new Set(Object.values(x.recap.failures))]
    expect(reasons, failures(x)).to.have.length(1)
    expect(reasons[0]).to.match(why)
    expect(reasons[0]).not.to.contain('\n')
    expect(totalChanged(x.recap)).to.equal(0)
    expect(await versions()).to.deep.equal(atVersion(FROM))
    expect(await cordoned()).to.deep.equal([])
  }
  const upgradeArgs = ['-e', `kube_version=${TO}`]
  const failures = (x: Run) => `${JSON.stringify(x.recap.failures)} ${x.r.stderr.slice(-1500)}`
  function expectNoChange(x: Run): void {
    expect(x.r.code, failures(x)).to.equal(0)
    for (const h of Object.keys(x.recap.hosts)) expect(changedTasks(x.events, h), h).to.deep.equal([])
    expect(totalChanged(x.recap)).to.equal(0)
  }
  async function expectRefused(x: Run, host: string, message: RegExp, nodes: string[]): Promise<void> {
    expect(x.r.code).to.equal(2)
    expect(x.recap.failures[host]).to.match(message)
    expect(totalChanged(x.recap)).to.equal(0)
    expect(await apiNodes()).to.deep.equal(nodes)
  }

  before(async function () {
    this.timeout(15 * 60_000)
    env = await airgapSandbox({ name: NAME, nodes: ALL.length, subnet: SUBNET, kubeVersion: FROM, moreKubeVersions: [TO], controlPlanes: 1, etcd: 1 })
    up = env.sandbox
    inventory = env.inventory
  })

  after(async function () {
    this.timeout(2 * 60_000)
    if (steps.length) process.stdout.write(`      wall times:\n${steps.map((s) => `        ${s}\n`).join('')}`)
    await env?.stop()
    await sandboxDown({ name: NAME })
  })

  it(`cluster: ${FIRST} (control plane, etcd) and ${WORKER} at ${FROM}, air-gapped (the mirror carries ${FROM} and ${TO}), then changes nothing`, async () => {
    expect(env!.bundle.kubeVersions).to.deep.equal([FROM, TO])
    for (const v of [FROM, TO]) {
      expect(Object.keys(env!.bundle.index.files)).to.include(`files/dl.k8s.io/release/v${v}/bin/linux/${env!.bundle.arch}/kubeadm`)
      expect(env!.mirror.images.map((i) => i.source)).to.include(`registry.k8s.io/kube-apiserver:v${v}`)
    }
    writeInventory([FIRST], [WORKER])
    const first = await run('cluster')
    expect(first.r.code, failures(first)).to.equal(0)
    expect(await apiNodes()).to.deep.equal([FIRST, WORKER])
    expect(await sh(FIRST, 'kubectl version -o json')).to.contain(`"gitVersion": "v${FROM}"`)
    firstCa = await caOf()
    expectNoChange(await run('cluster'))
  })

  it(`scale joins ${NEW_WORKER} and the control planes ${NEW_CONTROL_PLANES.join(', ')} with etcd, touching the old nodes only where they must change, then changes nothing`, async () => {
    writeInventory([FIRST, ...NEW_CONTROL_PLANES], [WORKER, NEW_WORKER])
    const scale = await run('scale')
    expect(scale.r.code, failures(scale)).to.equal(0)
    expect(await apiNodes()).to.deep.equal(sorted(ALL))

    // The first control plane changed nothing of its own; through it the run made a join token, uploaded the
    // certificates under a key made for this run, signed the new etcd certificates and added the members.
    expect(scale.recap.hosts[FIRST]!.changed).to.equal(0)
    const through = changedThrough(scale.events, FIRST)
    expect(through).to.include.members([
      'Control plane | Upload the shared certificates for the control planes that join (key made for this run)',
      'etcd | Add this member to the running cluster',
      'etcd | Member and admin certificates, signed on the first etcd host',
      'etcd | Node client certificate of a control plane, signed on the first etcd host',
      'kubeadm | Bootstrap token, made on the first control plane',
    ])
    expect(through.filter((t) => !/^(Control plane \| Upload|etcd \| |kubeadm \| Bootstrap token|Node labels \| )/.test(t))).to.deep.equal([])
    // The old worker: only its load balancer, which has two more upstreams.
    expect(changedTasks(scale.events, WORKER)).to.deep.equal([
      'Load balancer | nginx configuration, checked by nginx before it is installed', 'Restart the API load balancer',
    ])
    expect(sorted(scale.recap.touched)).to.deep.equal(sorted(ALL))
    for (const n of [NEW_WORKER, ...NEW_CONTROL_PLANES]) expect(scale.recap.hosts[n]!.changed, n).to.be.greaterThan(0)
    const upstreams = await sh(WORKER, "sed -n 's/^ *server \\([0-9.]*:6443\\);/\\1/p' /etc/nginx/nginx.conf")
    expect(upstreams.trim().split('\n')).to.deep.equal([FIRST, ...NEW_CONTROL_PLANES].map((n) => `${up.state.nodes.find((x) => x.name === n)!.address}:6443`))

    // etcd: three members, healthy; three API servers; the certificate key appears in no output.
    expect(await etcdHealthy(FIRST)).to.deep.equal(sorted([FIRST, ...NEW_CONTROL_PLANES].map(clientUrl)))
    for (const n of [FIRST, ...NEW_CONTROL_PLANES]) expect(await apiVersion(n), n).to.contain(`"gitVersion":"v${FROM}"`)
    const key = (await sh(NEW_CONTROL_PLANES[0]!, "sed -n 's/^ *certificateKey: *\"\\?\\([0-9a-f]*\\)\"\\?$/\\1/p' /etc/kubernetes/kubeadm-controlplane.yaml")).trim()
    expect(key).to.match(/^[0-9a-f]{64}$/)
    expect(scale.r.stdout + scale.r.stderr).not.to.contain(key)
    process.stdout.write(`      scale: ${scale.seconds.toFixed(1)} s wall to add 3 nodes to 2, touched ${scale.recap.touched.length} of ${ALL.length} hosts\n`)

    const again = await run('scale')
    expectNoChange(again)
    expect(again.recap.touched).to.deep.equal([FIRST])
  })

  it('upgrade refuses a skipped minor, a downgrade, a mirror without the target, a node NotReady and etcd with a member down, each with one line, before any change', async () => {
    for (const [version, why] of [['1.34.11', /kube_version 1\.34\.11 skips a minor version: the cluster runs v1\.31\.14, and kubeadm upgrades one minor at a time; nothing was changed\. Upgrade to 1\.32 first/],
      ['1.30.14', /kube_version 1\.30\.14 is older than what the cluster runs \(v1\.31\.14\); kubeseed does not downgrade, and nothing was changed/]] as const) {
      await expectUpgradeRefused(await run('upgrade', '-e', `kube_version=${version}`), why)
    }
    // A mirror without the target's files: here, a files_repo where nothing is served.
    const repo = `${env!.mirror.groupVars.files_repo}/elsewhere`
    await expectUpgradeRefused(await run('upgrade', ...upgradeArgs, '-e', `files_repo=${repo}`),
      new RegExp(`: the mirror ${repo} has no kubeadm, kubelet, kubectl of Kubernetes ${TO} \\(${repo}/dl\\.k8s\\.io/release/v${TO}/bin/linux/\\w+/kubeadm\\); nothing was changed`))

    // A worker whose container runtime is down: its kubelet posts NotReady on its next status update (10 s),
    // where a stopped kubelet would take the node monitor's 50 s grace to turn Unknown.
    await sh(NEW_WORKER, 'systemctl stop containerd')
    try {
      await waitReady(NEW_WORKER, 'False')
      await expectUpgradeRefused(await run('upgrade', ...upgradeArgs),
        new RegExp(`node ${NEW_WORKER} is not Ready; nothing was changed\\. Bring it back \\(kubectl describe node\\) and run the upgrade again`))
    } finally {
      await sh(NEW_WORKER, 'systemctl start containerd')
    }
    await waitReady(NEW_WORKER, 'True')

    // One etcd member of three down: the cluster still has quorum, but the upgrade wants every member healthy.
    await sh('node5', 'systemctl stop etcd')
    try {
      const unhealthy = await run('upgrade', ...upgradeArgs)
      await expectUpgradeRefused(unhealthy, /etcd is not healthy: [^;{]* is unhealthy[^;{]*; nothing was changed\. Bring every etcd member back first \(etcdctl endpoint health on node1\)/)
      process.stdout.write(`      etcd refusal: ${Object.values(unhealthy.recap.failures)[0]}\n`)
    } finally {
      await sh('node5', 'systemctl start etcd')
    }
    await waitEtcdHealthy(3)
  })

  it('upgrade_node_confirm=true without a terminal fails on the first node in one line, before any node is taken out of service', async () => {
    // The prompt is read from the controlling terminal (as Ansible's pause does), not from stdin: a run without
    // one, as under CI, cannot be confirmed and must not go on unconfirmed.
    const x = await runWith({ noTerminal: true }, 'upgrade', ...upgradeArgs, '-e', 'upgrade_node_confirm=true')
    expect(x.r.code, failures(x)).to.equal(2)
    expect(Object.keys(x.recap.failures)).to.deep.equal([FIRST])
    expect(x.recap.failures[FIRST]).to.match(/pause needs a terminal to ask "Ready to upgrade node node1\?", and this run has none; run it from a terminal, or turn the prompt off/)
    for (const h of ALL) expect(upgradeTasks(x.events, h), h).to.deep.equal([])
    expect(await versions()).to.deep.equal(atVersion(FROM))
    expect(await cordoned()).to.deep.equal([])
  })

  it('upgrade --check prints the plan for the 5 nodes (which node, which batch, which steps) and changes nothing', async () => {
    const t0 = Date.now()
    const r = await kubeseedAsync(['upgrade', ...upgradeArgs, '--check', '-i', inventory, '--no-progress', '--known-hosts', up.knownHosts])
    steps.push(`kubeseed upgrade --check: ${((Date.now() - t0) / 1000).toFixed(1)} s wall`)
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0)
    const plan = r.stdout.split('\n').filter((l) => l.startsWith('ok: [') && /control plane|worker batch|etcd member/.test(l))
    process.stdout.write(`${plan.map((l) => `        ${l}`).join('\n')}\n`)
    const etcd = env!.bundle.index.artifacts.versions.etcd_version
    const steady = (i: number) => `etcd member ${i} of 3: etcd at ${etcd} already: nothing to do; control plane ${i} of 3`
    expect(plan).to.include(`ok: [${FIRST}]: ${steady(1)} (first): cordon, drain, kubeadm v${TO}, kubeadm upgrade apply v${TO}, kubelet v${FROM} -> v${TO}, kubectl v${TO}, restart kubelet, uncordon`)
    for (const [i, n] of NEW_CONTROL_PLANES.entries()) {
      expect(plan).to.include(`ok: [${n}]: ${steady(i + 2)}: cordon, drain, kubeadm v${TO}, kubeadm upgrade node, kubelet v${FROM} -> v${TO}, kubectl v${TO}, restart kubelet, uncordon`)
    }
    for (const [i, w] of WORKERS.entries()) {
      expect(plan).to.include(`ok: [${w}]: worker batch ${i + 1} of 2 (serial 20%): cordon, drain, kubeadm v${TO}, kubeadm upgrade node, kubelet v${FROM} -> v${TO}, restart kubelet, uncordon`)
    }
    expect(plan).to.have.length(ALL.length)
    expect(await versions()).to.deep.equal(atVersion(FROM))
    expect(await cordoned()).to.deep.equal([])
    expect((await sh(WORKER, '/usr/local/bin/kubeadm version -o short')).trim()).to.equal(`v${FROM}`)
  })

  it(`upgrade: a drain blocked by a PodDisruptionBudget uncordons ${WORKER} and stops the run naming it, after the 3 control planes`, async () => {
    await sh(FIRST, `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: { name: guarded, namespace: default, labels: { app: guarded } }
spec: { nodeName: ${WORKER}, containers: [{ name: c, image: registry.k8s.io/pause:3.10 }] }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: guarded, namespace: default }
spec: { minAvailable: 1, selector: { matchLabels: { app: guarded } } }
EOF`)
    let blocked: Run
    try {
      blocked = await runWith({ label: 'upgrade, drain blocked' }, 'upgrade', ...upgradeArgs, '-e', 'drain_timeout=3s', '-e', 'drain_retries=0')
    } finally {
      // Whatever this test finds, the runs after it drain freely.
      await sh(FIRST, 'kubectl delete poddisruptionbudget guarded -n default')
    }
    expect(blocked.r.code).to.equal(2)
    expect(blocked.recap.failures[WORKER], failures(blocked)).to.match(
      new RegExp(`: failed to drain node ${WORKER}: error: error when evicting pods/"guarded" -n "default": global timeout reached: 3s; it was uncordoned and not upgraded, and the upgrade stopped`))
    expect(blocked.recap.held).to.deep.equal({})
    // The control planes went first, one at a time; the worker whose drain failed is back in service at the old version.
    for (const n of CONTROL_PLANES) expect(upgradeTasks(blocked.events, n), n).to.include.members(['Upgrade | Cordon node', 'Upgrade | Uncordon node'])
    expect(await serverVersion()).to.equal(`v${TO}`)
    expect(await versions()).to.deep.equal({ ...atVersion(TO), [WORKER]: `v${FROM}`, [NEW_WORKER]: `v${FROM}` })
    expect(await cordoned()).to.deep.equal([])
    expect(upgradeTasks(blocked.events, NEW_WORKER)).to.deep.equal([])
    await waitEtcdHealthy(3)
  })

  it(`upgrade: Ctrl-C after ${WORKER}'s uncordon stops the run; every node it leaves cordoned is named in its last line`, async () => {
    let signalled = false
    let seen = ''
    // A pause before each node (kubespray's upgrade_node_pause_seconds) gives the signal time to land before the next node.
    const interrupted = await runWith({
      label: 'upgrade, interrupted',
      onSpawn: (child) => child.stdout!.on('data', (b: Buffer) => {
        seen += b.toString()
        const done = seen.split('\n').some((l) => l.includes('"task":"Upgrade | Uncordon node"') && l.includes(`"host":"${WORKER}"`) && l.includes('"type":"result"'))
        if (done && !signalled) { signalled = true; child.kill('SIGINT') }
      }),
    }, 'upgrade', ...upgradeArgs, '-e', 'upgrade_node_pause_seconds=3')
    expect(signalled, interrupted.r.stderr.slice(-2000)).to.equal(true)
    expect(interrupted.r.code, failures(interrupted)).to.equal(130)
    expect(interrupted.recap.interrupted).to.equal(true)
    expect(interrupted.r.stderr).to.contain('kubeseed: interrupted')
    expect(upgradeTasks(interrupted.events, WORKER)).to.include.members(['Upgrade | Cordon node', 'Upgrade | kubeadm upgrade node', 'Upgrade | Restart kubelet', 'Upgrade | Uncordon node'])
    for (const n of CONTROL_PLANES) expect(upgradeTasks(interrupted.events, n), n).to.deep.equal([])
    const api = await apiNodeStates()
    expect(api[WORKER]).to.deep.include({ version: `v${TO}`, cordoned: false, marked: false })
    // The guarantee: the nodes left cordoned are exactly those the last line names.
    expect(Object.keys(interrupted.recap.held ?? {}).sort()).to.deep.equal(await cordoned())
    process.stdout.write(`      after Ctrl-C: held ${JSON.stringify(interrupted.recap.held)}\n`)
  })

  it(`upgrade: the rerun upgrades only ${NEW_WORKER}; every node ends at ${TO} in the API and uncordoned; a further run changes nothing`, async () => {
    const resumed = await runWith({ label: 'upgrade, resumed' }, 'upgrade', ...upgradeArgs)
    expect(resumed.r.code, failures(resumed)).to.equal(0)
    for (const n of [...CONTROL_PLANES, WORKER]) expect(upgradeTasks(resumed.events, n), n).to.deep.equal([])
    expect(upgradeTasks(resumed.events, NEW_WORKER)).to.include.members(['Upgrade | kubeadm upgrade node', 'Upgrade | Restart kubelet', 'Upgrade | Uncordon node'])
    expect(changedHosts(resumed)).to.deep.equal([NEW_WORKER])
    expect(await versions()).to.deep.equal(atVersion(TO))
    expect(await cordoned()).to.deep.equal([])
    expect(await serverVersion()).to.equal(`v${TO}`)
    for (const n of CONTROL_PLANES) expect(await apiVersion(n), n).to.contain(`"gitVersion":"v${TO}"`)
    for (const n of ALL) {
      expect((await sh(n, '/usr/local/bin/kubeadm version -o short; /usr/local/bin/kubelet --version')).trim().split('\n'), n).to.deep.equal([`v${TO}`, `Kubernetes v${TO}`])
    }
    expect(await etcdHealthy(FIRST)).to.have.length(3)

    const again = await runWith({ label: 'upgrade, no-op' }, 'upgrade', ...upgradeArgs)
    expectNoChange(again)
    expect(again.recap.held).to.deep.equal({})
    // From here on the inventory says what the cluster runs.
    release = upgradeArgs
  })

  it('remove-node refuses without confirmation, the first control plane, every control plane, and what would break etcd quorum, changing nothing', async () => {
    const nodes = sorted(ALL)
    const unconfirmed = await run('remove-node', '-e', `node=${NEW_WORKER}`)
    await expectRefused(unconfirmed, NEW_WORKER, /nothing was changed\. Run it again with -e skip_confirmation=true/, nodes)
    expect(unconfirmed.recap.touched).to.deep.equal([])

    const everyControlPlane = await run('remove-node', '-e', `node=${[FIRST, ...NEW_CONTROL_PLANES].join(',')}`, '-e', 'skip_confirmation=true')
    await expectRefused(everyControlPlane, FIRST, /refusing to remove every control plane \(node1, node4, node5\)/, nodes)
    const first = await run('remove-node', '-e', `node=${FIRST}`, '-e', 'skip_confirmation=true')
    await expectRefused(first, FIRST, /node1 is the first control plane, from which remove-node works on the cluster/, nodes)

    // With node4's etcd down, removing node5 would leave node1 alone of the two that stay: no quorum.
    await sh('node4', 'systemctl stop etcd')
    try {
      const quorum = await run('remove-node', '-e', 'node=node5', '-e', 'skip_confirmation=true')
      await expectRefused(quorum, 'node5', /refusing to remove node5 from etcd: of the 2 members that would stay only 1 answer healthy, and quorum needs 2/, nodes)
    } finally {
      await sh('node4', 'systemctl start etcd')
    }
    for (let i = 0; i < 20 && (await etcdHealthy(FIRST)).length < 3; i++) await new Promise((r) => setTimeout(r, 1000))
    expect(await etcdHealthy(FIRST)).to.have.length(3)
  })

  it(`remove-node -e node=${NEW_WORKER} drains and deletes the worker and resets its host, then changes nothing`, async () => {
    const args = ['-e', `node=${NEW_WORKER}`, '-e', 'skip_confirmation=true']
    const removal = await run('remove-node', ...args)
    expect(removal.r.code, failures(removal)).to.equal(0)
    expect(changedTasks(removal.events, NEW_WORKER)).to.include.members([
      'Remove-node | Drain the node except DaemonSet Pods', 'Reset | kubeadm reset', 'Remove-node | Delete the node',
    ])
    expect(sorted(removal.recap.touched)).to.deep.equal([FIRST, NEW_WORKER])
    expect(await apiNodes()).to.deep.equal(sorted(ALL.filter((n) => n !== NEW_WORKER)))
    expect((await sh(NEW_WORKER, 'systemctl show -p LoadState --value kubelet.service containerd.service')).trim().split(/\n+/)).to.deep.equal(['not-found', 'not-found'])
    expect(await sh(NEW_WORKER, '[ ! -e /etc/kubernetes ] || echo /etc/kubernetes; ls -A /usr/local/bin')).to.equal('')
    expectNoChange(await run('remove-node', ...args))
  })

  it('remove-node -e node=node5 -e reset_nodes=false takes a dead control plane and its etcd member out of the cluster without contacting the host; etcd stays healthy with the two others, then changes nothing', async () => {
    // The host is dead as far as the cluster can tell: no kubelet, no etcd. The final reset clears it.
    await sh('node5', 'systemctl stop kubelet etcd')
    const args = ['-e', 'node=node5', '-e', 'skip_confirmation=true', '-e', 'reset_nodes=false']
    const removal = await run('remove-node', ...args)
    expect(removal.r.code, failures(removal)).to.equal(0)
    expect(changedTasks(removal.events, 'node5')).to.deep.equal([
      'Remove-node | Drain the node except DaemonSet Pods', 'Remove-etcd-node | Remove the member', 'Remove-node | Delete the node',
    ])
    // The worker that stays drops node5 from its local API load balancer; nothing else of it changes. NEW_WORKER,
    // removed and reset above but still in the inventory, is no cluster node: it gets no balancer.
    expect(sorted(removal.recap.touched)).to.deep.equal([FIRST, WORKER])
    expect(changedTasks(removal.events, WORKER)).to.include('Load balancer | nginx configuration, checked by nginx before it is installed')
    expect(changedTasks(removal.events, NEW_WORKER)).to.deep.equal([])
    const upstreams = await sh(WORKER, "sed -n 's/^ *server \\([0-9.]*:6443\\);/\\1/p' /etc/nginx/nginx.conf")
    expect(upstreams.trim().split('\n')).to.deep.equal([FIRST, 'node4'].map((n) => `${up.state.nodes.find((x) => x.name === n)!.address}:6443`))
    expect(await apiNodes()).to.deep.equal([FIRST, WORKER, 'node4'])
    expect(await etcdHealthy(FIRST)).to.deep.equal(sorted([FIRST, 'node4'].map(clientUrl)))
    expect(await sh(FIRST, `${etcdctl(FIRST, 'member list')} | wc -l`)).to.equal('2\n')
    expect(await apiVersion('node4')).to.contain(`"gitVersion":"v${TO}"`)
    expect(await sh('node5', 'ls /var/lib/etcd /etc/kubernetes >/dev/null && echo kept')).to.equal('kept\n')
    expectNoChange(await run('remove-node', ...args))
  })

  it('reset of every host, then cluster on the same hosts builds a new cluster (3 control planes with etcd, 2 workers), then changes nothing', async () => {
    writeInventory([FIRST, ...NEW_CONTROL_PLANES], [WORKER, NEW_WORKER])
    const reset = await run('reset', '-e', 'reset_confirmation=yes')
    expect(reset.r.code, failures(reset)).to.equal(0)
    for (const n of ALL) {
      expect((await sh(n, 'systemctl show -p LoadState --value kubelet.service etcd.service')).trim().split(/\n+/), n).to.deep.equal(['not-found', 'not-found'])
      expect(await sh(n, '[ ! -e /etc/kubernetes ] || echo /etc/kubernetes; [ ! -e /var/lib/etcd ] || echo /var/lib/etcd'), n).to.equal('')
    }
    expectNoChange(await run('reset', '-e', 'reset_confirmation=yes'))

    const fresh = await run('cluster')
    expect(fresh.r.code, failures(fresh)).to.equal(0)
    expect(await apiNodes()).to.deep.equal(sorted(ALL))
    expect(await etcdHealthy(FIRST)).to.deep.equal(sorted([FIRST, ...NEW_CONTROL_PLANES].map(clientUrl)))
    for (const n of [FIRST, ...NEW_CONTROL_PLANES]) expect(await apiVersion(n), n).to.contain(`"gitVersion":"v${TO}"`)
    // A new cluster, not the old one's state: a CA of its own.
    expect(await caOf()).to.match(/Fingerprint=/).and.not.equal(firstCa)
    expectNoChange(await run('cluster'))
  })
})
