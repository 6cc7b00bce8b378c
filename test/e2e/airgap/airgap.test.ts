// The air-gapped install, for real: sandbox nodes with no route out install the container runtime, etcd and
// OS packages, and pull every image, from a mirror on the bastion made of the sandbox bundle.

import { expect } from 'chai'
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import type { HostRecap, RunEvent } from '../../../src/engine/report/events.js'
import { bundlePaths, SERVE_STATE_DIR } from '../../../src/offline/bundle-index.js'
import { startFileServer } from '../../../src/offline/file-server.js'
import { loadManifest, supportedReleases } from '../../../src/offline/manifest.js'
import type { SandboxBundle } from '../../../src/sandbox/bundle.js'
import type { MirrorHandle } from '../../../src/offline/serve.js'
import { airgapSandbox, type AirgapSandbox } from '../../../src/sandbox/airgap.js'
import { teardownAirgap, writeAirgapInventory } from '../../harness/airgap-suite.js'
import { kubeseedAsync } from '../../harness/cli.js'
import { downloadCachePath, downloadedImageNames } from '../../harness/download-plan.js'
import { verifyBundle } from '../../../src/offline/verify.js'
import { sandboxSsh, type SandboxUpResult } from '../../../src/sandbox/index.js'

// Its own sandbox and subnet, so it runs beside other sandbox suites.
const NAME = 'airgap'
const SUBNET = '10.231.16.0/24'

interface PlayResult { code: number | null; events: RunEvent[]; recap: Record<string, HostRecap>; stderr: string }
type ResultEvent = Extract<RunEvent, { type: 'result' }>

describe('air-gapped install on the sandbox (cluster.yaml)', function () {
  this.timeout(6 * 60_000)
  let work: string
  let up: SandboxUpResult
  let bundle: SandboxBundle
  let mirror: MirrorHandle
  let env: AirgapSandbox | undefined
  let inventory: string
  const kubeVersion = supportedReleases(loadManifest())[0]!.kubeVersion

  async function play(...args: string[]): Promise<PlayResult> {
    const r = await kubeseedAsync(['play', join(PACKAGE_ROOT, 'playbooks/cluster.yaml'), '-i', inventory, '--output', 'json',
      '--known-hosts', up.knownHosts, ...args])
    const events = r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as RunEvent)
    const recap = events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap')
    if (!recap) throw new Error(`no recap from kubeseed play (exit ${r.code}): ${r.stderr.slice(-2000)}`)
    return { code: r.code, events, recap: recap.hosts, stderr: r.stderr }
  }

  const results = (r: PlayResult) => r.events.filter((e): e is ResultEvent => e.type === 'result')
  const urls = (r: PlayResult) => results(r).flatMap((e) => e.urls ?? [])
  async function sh(node: string, command: string): Promise<string> {
    const r = await sandboxSsh({ name: NAME, node, command, stdio: 'pipe' })
    if (r.code !== 0) throw new Error(`${node}: ${command}: exit ${r.code}: ${r.stderr}`)
    return r.stdout
  }
  const nodes = () => up.state.nodes.map((n) => n.name)

  before(async function () {
    this.timeout(10 * 60_000)
    work = mkdtempSync('/var/tmp/kubeseed-airgap-')
    env = await airgapSandbox({ name: NAME, nodes: 3, controlPlanes: 1, etcd: 3, subnet: SUBNET, kubeVersion, httpPort: 0 })
    ;({ sandbox: up, bundle, mirror } = env)

    // The sandbox's inventory plus the group_vars `offline serve` printed.
    inventory = writeAirgapInventory(env, work)
  })

  after(async function () {
    this.timeout(2 * 60_000)
    await teardownAirgap(env, NAME, work)
  })

  let first: PlayResult
  it('installs from the mirror only, then a second run changes nothing', async () => {
    first = await play()
    expect(first.code, first.stderr).to.equal(0)
    for (const h of nodes()) expect(first.recap[h]!.failed, h).to.equal(0)
    const files = mirror.groupVars.files_repo
    const used = urls(first)
    const wanted = bundle.index.artifacts.files.map((f) => `${files}/${f.path}`)
    expect(used.length).to.be.greaterThan(0)
    for (const u of used) expect(u.startsWith(`${files}/`), u).to.equal(true)
    for (const f of ['containerd', 'runc', 'cni-plugins', 'etcd']) {
      expect(used, f).to.include(wanted[bundle.index.artifacts.files.findIndex((x) => x.name === f)])
    }

    const second = await play()
    expect(second.code, second.stderr).to.equal(0)
    for (const h of nodes()) expect(second.recap[h]!.changed, `${h}: ${results(second).filter((e) => e.host === h && e.status === 'changed').map((e) => e.task).join(', ')}`).to.equal(0)
    for (const u of urls(second)) expect(u.startsWith(`${files}/`), u).to.equal(true)
  })

  it('every node has containerd, runc, the CNI plugins, the OS packages and apt pointed at the mirror only', async () => {
    const v = bundle.index.artifacts.versions
    const packages = bundle.index.artifacts.packages.debian
    for (const node of nodes()) {
      expect(await sh(node, 'systemctl is-active containerd; systemctl is-enabled containerd')).to.equal('active\nenabled\n')
      expect(await sh(node, '/usr/local/bin/containerd --version')).to.contain(v.containerd_version)
      expect(await sh(node, '/usr/local/bin/runc --version')).to.contain(`runc version ${v.runc_version}`)
      expect((await sh(node, 'ls /opt/cni/bin')).split('\n')).to.include.members(['bridge', 'host-local', 'loopback', 'portmap'])
      const status = await sh(node, `dpkg-query -W -f='\${Package} \${Status}\\n' ${packages.join(' ')}`)
      for (const p of packages) expect(status, node).to.contain(`${p} install ok installed`)
      expect((await sh(node, 'grep -h "^deb" /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null || true')).trim())
        .to.equal(`deb [signed-by=/etc/apt/keyrings/kubeseed-mirror.asc] ${mirror.groupVars.debian_repo} ./`)
    }
  })

  it('etcd runs on every member with TLS, and the cluster is healthy', async () => {
    const endpoints = up.state.nodes.map((n) => `https://${n.address}:2379`).join(',')
    for (const node of nodes()) {
      const tls = `--endpoints=${endpoints} --cacert=/etc/ssl/etcd/ssl/ca.pem --cert=/etc/ssl/etcd/ssl/admin-${node}.pem --key=/etc/ssl/etcd/ssl/admin-${node}-key.pem`
      const health = await sh(node, `ETCDCTL_API=3 /usr/local/bin/etcdctl ${tls} endpoint health 2>&1`)
      expect(health.match(/is healthy/g)?.length, health).to.equal(3)
      const members = await sh(node, `ETCDCTL_API=3 /usr/local/bin/etcdctl ${tls} member list`)
      expect(members.trim().split('\n').map((l) => l.split(', ')[2]).sort()).to.deep.equal(['etcd1', 'etcd2', 'etcd3'])
      const plain = await sandboxSsh({ name: NAME, node, stdio: 'pipe', command: `ETCDCTL_API=3 /usr/local/bin/etcdctl --endpoints=http://127.0.0.1:2379 --dial-timeout=2s endpoint health` })
      expect(plain.code, 'etcd must not answer plain HTTP').not.to.equal(0)
    }
  })

  it('containerd holds the images of its role and network plugin: the control plane\'s on control planes, the per-node ones everywhere', async () => {
    const images = bundle.index.artifacts.images
    const seen = new Set<string>()
    for (const node of nodes()) {
      const listed = (await sh(node, '/usr/local/bin/ctr -n k8s.io images ls -q')).split('\n')
      const groups = up.state.controlPlanes.includes(node) ? ['k8s_cluster', 'kube_control_plane'] : ['k8s_cluster', 'kube_node']
      const names = downloadedImageNames(images, groups)
      const want = images.filter((i) => names.includes(i.name)).map((i) => `${i.repo}:${i.tag}`)
      expect(listed, node).to.include.members(want)
      for (const w of want) seen.add(w)
    }
    // calico, kubespray's default: no flannel image anywhere, calico's own on every node
    expect([...seen].some((i) => i.includes('flannel'))).to.equal(false)
    expect([...seen].filter((i) => i.startsWith('quay.io/calico/node:'))).to.have.length(1)
  })

  it('--check on the converged cluster reports no change', async () => {
    const r = await play('--check')
    expect(r.code, r.stderr).to.equal(0)
    for (const h of nodes()) expect(r.recap[h]!.changed, `${h}: ${results(r).filter((e) => e.host === h && e.status === 'changed').map((e) => e.task).join(', ')}`).to.equal(0)
  })

  it('one changed byte: verify names the file, and the node that downloads it fails and installs nothing from it', async () => {
    const runc = bundle.index.artifacts.files.find((f) => f.name === 'runc')!
    const bad = join(work, 'bad-bundle')
    cpSync(bundle.dir, bad, { recursive: true, filter: (src) => !src.endsWith(`/${SERVE_STATE_DIR}`) })
    const target = join(bad, bundlePaths.file(runc.path))
    const bytes = readFileSync(target)
    bytes[Math.floor(bytes.length / 2)] ^= 0x01
    writeFileSync(target, bytes)

    let verifyError: Error | undefined
    await verifyBundle({ dir: bad }).catch((e: Error) => { verifyError = e })
    expect(verifyError?.message).to.contain(bundlePaths.file(runc.path))

    const files = await startFileServer({ files: join(bad, 'files') }, up.state.bastion, 0)
    try {
      const node = up.state.workers[0]!
      const dest = downloadCachePath(bundle, 'runc')
      await sh(node, `rm -f ${dest} /usr/local/bin/runc`)
      const badRepo = `http://${up.state.bastion}:${files.port}/files`
      const r = await play('-e', `files_repo=${badRepo}`)
      expect(r.code).not.to.equal(0)
      expect(r.recap[node]!.failed).to.equal(1)
      const failure = results(r).find((e) => e.host === node && e.status === 'failed')!
      expect(failure.task).to.equal('Download | Files, checked against the manifest\'s sha256')
      expect(failure.msg ?? failure.stderr ?? '').to.match(/checksum/i)
      expect(`${failure.msg} ${failure.stderr}`).to.contain(runc.sha256)
      expect(await sh(node, `ls -A /tmp/releases; test -e /usr/local/bin/runc && echo runc-installed || true`)).not.to.match(/runc/)
      for (const other of nodes().filter((n) => n !== node)) expect(r.recap[other]!.failed, other).to.equal(0)
    } finally {
      await files.close()
    }
  })
})
