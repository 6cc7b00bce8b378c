// upgrade.yaml on the air-gapped sandbox: a cluster of one control plane (with etcd) and two workers at
// Kubernetes 1.31, the mirror carrying 1.31.14 and 1.32.13 side by side. A target that skips a minor or goes
// back is refused before any change; --check prints the plan and changes nothing; a drain blocked by a
// PodDisruptionBudget uncordons its node and stops the run naming it; a run interrupted with Ctrl-C after the
// first worker names every node it leaves cordoned; the rerun finishes only what is left; a last run changes
// nothing. Wall times are printed.

import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'
import { teardownAirgap, writeAirgapInventory } from '../../harness/airgap-suite.js'
import { CLI, events, kubeseedAsync, totalChanged, type CliResult, type Recap } from '../../harness/cli.js'

// Its own sandbox and subnet, so it runs beside the other sandbox suites.
const NAME = 'up'
const SUBNET = '10.231.22.0/24'
const FROM = '1.31.14'
const TO = '1.32.13'
const CONTROL_PLANE = 'node1'
const WORKERS = ['node2', 'node3']
const NODES = [CONTROL_PLANE, ...WORKERS]
const LABEL = 'kubeseed.io/upgrade-cordoned'

type Event = Record<string, unknown>
interface Run { r: CliResult; events: Event[]; recap: Recap & { held?: Record<string, string>; interrupted?: boolean }; seconds: number }

const changedTasks = (evs: Event[], host: string) =>
  evs.filter((e) => e.type === 'result' && e.host === host && e.status === 'changed').map((e) => String(e.task))
const changedHosts = (evs: Event[]) => NODES.filter((h) => changedTasks(evs, h).length > 0)
/** Tasks that change a node itself, beyond the download play. */
const upgradeTasks = (evs: Event[], host: string) => changedTasks(evs, host).filter((t) => t.startsWith('Upgrade |'))

describe('upgrade.yaml on the air-gapped sandbox: 1 control plane + 2 workers, 1.31 to 1.32', function () {
  this.timeout(10 * 60_000)
  let work: string
  let up: SandboxUpResult
  let env: AirgapSandbox | undefined
  let inventory: string
  const walls: string[] = []

  async function run(label: string, ...args: string[]): Promise<Run> {
    const t0 = Date.now()
    const r = await kubeseedAsync([...args, '-i', inventory, '--output', 'json', '--known-hosts', up.knownHosts])
    const seconds = (Date.now() - t0) / 1000
    walls.push(`${label}: ${seconds.toFixed(1)} s`)
    process.stdout.write(`      ${label} (kubeseed ${args.join(' ')}): ${seconds.toFixed(1)} s wall\n`)
    return { r, ...events(r), seconds } as Run
  }
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  /** Each node's kubelet version, whether it is cordoned, and whether it carries the upgrade's mark, from the API. */
  async function apiNodes(): Promise<Record<string, { version: string; cordoned: boolean; marked: boolean }>> {
    const list = JSON.parse(await sh(CONTROL_PLANE, 'kubectl get nodes -o json')) as { items: Array<{ metadata: { name: string; labels?: Record<string, string> }; spec?: { unschedulable?: boolean }; status: { nodeInfo: { kubeletVersion: string } } }> }
    return Object.fromEntries(list.items.map((n) => [n.metadata.name, {
      version: n.status.nodeInfo.kubeletVersion, cordoned: n.spec?.unschedulable === true, marked: LABEL in (n.metadata.labels ?? {}),
    }]))
  }
  const versions = async () => Object.fromEntries(Object.entries(await apiNodes()).map(([n, s]) => [n, s.version]))
  const cordoned = async () => Object.entries(await apiNodes()).filter(([, s]) => s.cordoned || s.marked).map(([n]) => n).sort()
  const serverVersion = async () => (JSON.parse(await sh(CONTROL_PLANE, 'kubectl version -o json')) as { serverVersion: { gitVersion: string } }).serverVersion.gitVersion
  const failures = (x: Run) => `${JSON.stringify(x.recap.failures)} ${x.r.stderr.slice(-1500)}`
  const upgradeArgs = ['upgrade', '-e', `kube_version=${TO}`]

  before(async function () {
    this.timeout(15 * 60_000)
    work = mkdtempSync('/var/tmp/kubeseed-upgrade-')
    env = await airgapSandbox({ name: NAME, nodes: 3, subnet: SUBNET, kubeVersion: FROM, moreKubeVersions: [TO], httpPort: 0 })
    up = env.sandbox
    inventory = writeAirgapInventory(env, work)
  })

  after(async function () {
    this.timeout(2 * 60_000)
    if (walls.length) process.stdout.write(`      wall times: ${walls.join('; ')}\n`)
    await teardownAirgap(env, NAME, work)
  })

  it(`the mirror carries ${FROM} and ${TO} side by side; cluster.yaml installs ${FROM}`, async () => {
    expect(env!.bundle.kubeVersions).to.deep.equal([FROM, TO])
    for (const v of [FROM, TO]) {
      expect(Object.keys(env!.bundle.index.files)).to.include(`files/dl.k8s.io/release/v${v}/bin/linux/${env!.bundle.arch}/kubeadm`)
      expect(env!.mirror.images.map((i) => i.source)).to.include(`registry.k8s.io/kube-apiserver:v${v}`)
    }
    const install = await run('cluster install', 'cluster')
    expect(install.r.code, failures(install)).to.equal(0)
    expect(await versions()).to.deep.equal(Object.fromEntries(NODES.map((n) => [n, `v${FROM}`])))
  })

  it('refuses a target that skips a minor or goes back, or a mirror without it, with one line, before any change', async () => {
    for (const [version, why] of [['1.34.11', /kube_version 1\.34\.11 skips a minor version: the cluster runs v1\.31\.14, and kubeadm upgrades one minor at a time; nothing was changed\. Upgrade to 1\.32 first/],
      ['1.30.14', /kube_version 1\.30\.14 is older than what the cluster runs \(v1\.31\.14\); kubeseed does not downgrade, and nothing was changed/]] as const) {
      const refused = await run(`refused ${version}`, 'upgrade', '-e', `kube_version=${version}`)
      expect(refused.r.code).to.equal(2)
      const reasons = [...new Set(Object.values(refused.recap.failures))]
      expect(reasons, failures(refused)).to.have.length(1)
      expect(reasons[0]).to.match(why)
      expect(reasons[0]).not.to.contain('\n')
      expect(totalChanged(refused.recap)).to.equal(0)
    }
    // A mirror without the target's files: here, a files_repo where nothing is served.
    const repo = `${env!.mirror.groupVars.files_repo}/elsewhere`
    const noMirror = await run('refused, mirror without the target', ...upgradeArgs, '-e', `files_repo=${repo}`)
    expect(noMirror.r.code).to.equal(2)
    expect(Object.values(noMirror.recap.failures)[0], failures(noMirror)).to.match(
      new RegExp(`: the mirror ${repo} has no kubeadm, kubelet, kubectl of Kubernetes ${TO} \\(${repo}/dl\\.k8s\\.io/release/v${TO}/bin/linux/\\w+/kubeadm\\); nothing was changed`))
    expect(totalChanged(noMirror.recap)).to.equal(0)
    expect(await versions()).to.deep.equal(Object.fromEntries(NODES.map((n) => [n, `v${FROM}`])))
  })

  it('--check prints the plan (which node, which batch, which steps) and changes nothing', async () => {
    const t0 = Date.now()
    const r = await kubeseedAsync([...upgradeArgs, '--check', '-i', inventory, '--no-progress', '--known-hosts', up.knownHosts])
    process.stdout.write(`      upgrade --check: ${((Date.now() - t0) / 1000).toFixed(1)} s wall\n`)
    expect(r.code, r.stdout.slice(-3000) + r.stderr).to.equal(0)
    const plan = r.stdout.split('\n').filter((l) => l.startsWith('ok: [') && /control plane|worker batch|etcd member/.test(l))
    process.stdout.write(`${plan.map((l) => `        ${l}`).join('\n')}\n`)
    expect(plan).to.include(`ok: [${CONTROL_PLANE}]: etcd member 1 of 1: etcd at ${env!.bundle.index.artifacts.versions.etcd_version} already: nothing to do; ` +
      `control plane 1 of 1 (first): cordon, drain, kubeadm v${TO}, kubeadm upgrade apply v${TO}, kubelet v${FROM} -> v${TO}, kubectl v${TO}, restart kubelet, uncordon`)
    for (const [i, w] of WORKERS.entries()) {
      expect(plan).to.include(`ok: [${w}]: worker batch ${i + 1} of 2 (serial 20%): cordon, drain, kubeadm v${TO}, kubeadm upgrade node, kubelet v${FROM} -> v${TO}, restart kubelet, uncordon`)
    }
    expect(await versions()).to.deep.equal(Object.fromEntries(NODES.map((n) => [n, `v${FROM}`])))
    expect(await cordoned()).to.deep.equal([])
    expect((await sh(WORKERS[0]!, '/usr/local/bin/kubeadm version -o short')).trim()).to.equal(`v${FROM}`)
  })

  it(`a drain blocked by a PodDisruptionBudget uncordons ${WORKERS[0]} and stops the run naming it`, async () => {
    await sh(CONTROL_PLANE, `kubectl apply -f - <<'EOF'
apiVersion: v1
kind: Pod
metadata: { name: guarded, namespace: default, labels: { app: guarded } }
spec: { nodeName: ${WORKERS[0]}, containers: [{ name: c, image: registry.k8s.io/pause:3.10 }] }
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: guarded, namespace: default }
spec: { minAvailable: 1, selector: { matchLabels: { app: guarded } } }
EOF`)
    let blocked: Run
    try {
      blocked = await run('upgrade, drain blocked', ...upgradeArgs, '-e', 'drain_timeout=3s', '-e', 'drain_retries=0')
    } finally {
      // Whatever this test finds, the runs after it drain freely.
      await sh(CONTROL_PLANE, 'kubectl delete poddisruptionbudget guarded -n default')
    }
    expect(blocked.r.code).to.equal(2)
    expect(blocked.recap.failures[WORKERS[0]!], failures(blocked)).to.match(
      new RegExp(`: failed to drain node ${WORKERS[0]}: error: error when evicting pods/"guarded" -n "default": global timeout reached: 3s; it was uncordoned and not upgraded, and the upgrade stopped`))
    expect(blocked.recap.held).to.deep.equal({})
    // The control plane went first; the worker whose drain failed is back in service at the old version.
    expect(await serverVersion()).to.equal(`v${TO}`)
    expect(await versions()).to.deep.equal({ [CONTROL_PLANE]: `v${TO}`, [WORKERS[0]!]: `v${FROM}`, [WORKERS[1]!]: `v${FROM}` })
    expect(await cordoned()).to.deep.equal([])
    expect(upgradeTasks(blocked.events, WORKERS[1]!)).to.deep.equal([])
  })

  it(`Ctrl-C after ${WORKERS[0]}'s uncordon stops the run; every node it leaves cordoned is named in its last line`, async () => {
    const t0 = Date.now()
    // A pause before each node (kubespray's upgrade_node_pause_seconds) gives the signal time to land before the next node.
    const child = spawn(process.execPath, [CLI, ...upgradeArgs, '-e', 'upgrade_node_pause_seconds=3', '-i', inventory, '--output', 'json', '--known-hosts', up.knownHosts],
      { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let signalled = false
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString() })
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString()
      const done = stdout.split('\n').some((l) => l.includes('"task":"Upgrade | Uncordon node"') && l.includes(`"host":"${WORKERS[0]}"`) && l.includes('"type":"result"'))
      if (done && !signalled) { signalled = true; child.kill('SIGINT') }
    })
    const code = await new Promise<number>((resolve) => child.once('close', (c) => resolve(c ?? -1)))
    const seconds = (Date.now() - t0) / 1000
    walls.push(`interrupted upgrade: ${seconds.toFixed(1)} s`)
    process.stdout.write(`      interrupted upgrade: ${seconds.toFixed(1)} s wall\n`)
    const interrupted = { r: { code, stdout, stderr }, ...events({ code, stdout, stderr }), seconds } as Run
    expect(signalled, stderr.slice(-2000)).to.equal(true)
    expect(code, failures(interrupted)).to.equal(130)
    expect(interrupted.recap.interrupted).to.equal(true)
    expect(stderr).to.contain('kubeseed: interrupted')
    expect(upgradeTasks(interrupted.events, WORKERS[0]!)).to.include.members(['Upgrade | Cordon node', 'Upgrade | kubeadm upgrade node', 'Upgrade | Restart kubelet', 'Upgrade | Uncordon node'])
    expect(upgradeTasks(interrupted.events, CONTROL_PLANE)).to.deep.equal([])
    const api = await apiNodes()
    expect(api[WORKERS[0]!]).to.deep.equal({ version: `v${TO}`, cordoned: false, marked: false })
    // The guarantee: the nodes left cordoned are exactly those the last line names.
    expect(Object.keys(interrupted.recap.held ?? {}).sort()).to.deep.equal(await cordoned())
    process.stdout.write(`      after Ctrl-C: ${JSON.stringify(api)}; held: ${JSON.stringify(interrupted.recap.held)}\n`)
  })

  it(`the rerun upgrades only what is left; every node ends at ${TO} and uncordoned`, async () => {
    const resumed = await run('resumed upgrade', ...upgradeArgs)
    expect(resumed.r.code, failures(resumed)).to.equal(0)
    expect(upgradeTasks(resumed.events, CONTROL_PLANE)).to.deep.equal([])
    expect(upgradeTasks(resumed.events, WORKERS[0]!)).to.deep.equal([])
    expect(upgradeTasks(resumed.events, WORKERS[1]!)).to.include.members(['Upgrade | kubeadm upgrade node', 'Upgrade | Restart kubelet', 'Upgrade | Uncordon node'])
    process.stdout.write(`      resumed upgrade changed: ${changedHosts(resumed.events).join(', ')}\n`)
    expect(changedHosts(resumed.events)).to.deep.equal([WORKERS[1]])
    expect(await versions()).to.deep.equal(Object.fromEntries(NODES.map((n) => [n, `v${TO}`])))
    expect(await cordoned()).to.deep.equal([])
    expect(await serverVersion()).to.equal(`v${TO}`)
    for (const n of NODES) {
      expect((await sh(n, '/usr/local/bin/kubeadm version -o short; /usr/local/bin/kubelet --version')).trim().split('\n')).to.deep.equal([`v${TO}`, `Kubernetes v${TO}`])
    }
  })

  it('a further upgrade run changes nothing', async () => {
    const again = await run('no-op upgrade', ...upgradeArgs)
    expect(again.r.code, failures(again)).to.equal(0)
    for (const h of NODES) expect(changedTasks(again.events, h), h).to.deep.equal([])
    expect(totalChanged(again.recap)).to.equal(0)
    expect(again.recap.held).to.deep.equal({})
  })
})
