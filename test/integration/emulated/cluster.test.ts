// kubeadm init + join + kubelet + kubectl, run as the bundled emulated binaries against a real
// containerd, each node in its own throwaway root (KUBESEED_EMULATION_ROOT) on loopback addresses.
import { expect } from 'chai'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildEmulatedBinaries } from '../../../src/sandbox/emulated/build.js'
import { requireCommand } from '../../harness/requirements.js'

const CP_IP = '127.0.10.1'
const CP2_IP = '127.0.10.3'
const WORKER_IP = '127.0.10.2'
const API_PORT = 16443

interface Run {
  code: number
  stdout: string
  stderr: string
}

async function waitUntil(what: string, ms: number, probe: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + ms
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('emulated kubeadm/kubelet/kubectl on loopback', function () {
  this.timeout(180_000)
  let base: string
  let bin: string
  const children: ChildProcess[] = []
  let criSocket: string
  let cniDir: string

  const rootOf = (node: string) => join(base, node)
  const env = (node: string) => ({ ...process.env, KUBESEED_EMULATION_ROOT: rootOf(node), PATH: `${join(base, 'shims')}:${process.env.PATH}` })

  function run(node: string, tool: string, args: string[], binDir = bin): Promise<Run> {
    return new Promise((resolve) => {
      const p = spawn(join(binDir, tool), args, { env: env(node) })
      let stdout = ''
      let stderr = ''
      p.stdout.on('data', (d) => (stdout += d))
      p.stderr.on('data', (d) => (stderr += d))
      p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    })
  }

  function daemon(node: string, tool: string, args: string[]): ChildProcess {
    const log = join(base, `${node}-${tool}.log`)
    const p = spawn(join(bin, tool), args, { env: env(node), stdio: ['ignore', 'ignore', 'pipe'] })
    p.stderr!.on('data', (d) => writeFileSync(log, d, { flag: 'a' }))
    children.push(p)
    return p
  }

  function prepareRoot(node: string): void {
    const r = rootOf(node)
    mkdirSync(join(r, 'proc/sys/net/bridge'), { recursive: true })
    mkdirSync(join(r, 'proc/sys/net/ipv4'), { recursive: true })
    writeFileSync(join(r, 'proc/sys/net/bridge/bridge-nf-call-iptables'), '1\n')
    writeFileSync(join(r, 'proc/sys/net/ipv4/ip_forward'), '1\n')
    writeFileSync(join(r, 'proc/swaps'), 'Filename\tType\tSize\tUsed\tPriority\n')
  }

  /** What systemd does with kubeadm's drop-in: the EnvironmentFile= variables expanded into ExecStart. */
  function unitVariable(node: string, file: string, name: string): string[] {
    const path = join(rootOf(node), file)
    const text = existsSync(path) ? readFileSync(path, 'utf8') : ''
    const value = new RegExp(`^${name}=(.*)$`, 'm').exec(text)?.[1]?.trim().replace(/^"(.*)"$/, '$1') ?? ''
    return value.split(/\s+/).filter(Boolean)
  }

  const kubelet = (node: string) => daemon(node, 'kubelet', [
    '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf',
    '--config=/var/lib/kubelet/config.yaml',
    ...unitVariable(node, 'var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS'),
    ...unitVariable(node, 'etc/default/kubelet', 'KUBELET_EXTRA_ARGS'),
  ])

  before(async function () {
    requireCommand('containerd', 'apt-get install containerd')
    base = mkdtempSync(join(tmpdir(), 'kubeseed-emulated-'))
    bin = join(base, 'bin')
    await buildEmulatedBinaries(bin, '1.32.13')
    mkdirSync(join(base, 'shims'))
    // kubeadm's KubeletVersion check runs `kubelet --version` from PATH.
    writeFileSync(join(base, 'shims', 'kubelet'), `#!/bin/sh\nexec ${join(bin, 'kubelet')} "$@"\n`, { mode: 0o755 })
    const ctr = join(base, 'containerd')
    cniDir = join(ctr, 'net.d')
    mkdirSync(cniDir, { recursive: true })
    criSocket = `unix://${join(ctr, 'containerd.sock')}`
    writeFileSync(join(ctr, 'config.toml'), [
      'version = 2', `root = "${ctr}/root"`, `state = "${ctr}/state"`,
      '[grpc]', `  address = "${ctr}/containerd.sock"`,
      '[plugins."io.containerd.grpc.v1.cri".cni]', `  conf_dir = "${cniDir}"`, `  bin_dir = "${ctr}/cni-bin"`,
    ].join('\n'))
    const c = spawn('containerd', ['--config', join(ctr, 'config.toml')], { stdio: 'ignore' })
    children.push(c)
    await waitUntil('containerd socket', 10_000, () => existsSync(join(ctr, 'containerd.sock')))
    for (const n of ['cp1', 'w1', 'cp2']) prepareRoot(n)
    writeFileSync(join(rootOf('cp1'), 'kubeadm.yaml'), `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: ${CP_IP}
  bindPort: ${API_PORT}
nodeRegistration:
  name: cp1
  criSocket: ${criSocket}
  imagePullPolicy: Never
  kubeletExtraArgs:
  - name: node-ip
    value: ${CP_IP}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.32.13
controlPlaneEndpoint: ${CP_IP}:${API_PORT}
networking:
  podSubnet: 10.244.0.0/16
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: ${CP_IP}
port: 20250
healthzPort: 20248
nodeStatusUpdateFrequency: 1s
`)
  })

  after(() => {
    // Nothing was started when a requirement was missing.
    if (base === undefined) return
    for (const n of ['cp1', 'w1', 'cp2']) {
      const pidFile = join(rootOf(n), 'run/kube-apiserver-emulator.pid')
      if (existsSync(pidFile)) {
        try {
          process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM')
        } catch {
          // Already stopped by kubeadm reset.
        }
      }
    }
    for (const c of children) c.kill('SIGTERM')
    if (base && !process.env.KUBESEED_KEEP_TEST_ROOT) rmSync(base, { recursive: true, force: true })
  })

  let joinLine = ''
  let certificateKey = ''

  it('ships self-contained CommonJS scripts (Node 18 runs extensionless files as CommonJS) labelled as emulations', async () => {
    for (const tool of ['kubeadm', 'kubelet', 'kubectl']) {
      const text = readFileSync(join(bin, tool), 'utf8')
      expect(text.startsWith(`#!/usr/bin/env node\n// kubeseed sandbox emulation of ${tool} v1.32.13`)).to.equal(true)
      expect(text).to.not.match(/^import |^export |import\.meta|require\("js-yaml"\)/m)
      expect((await run('cp1', tool, ['--help'])).stdout).to.contain(`kubeseed sandbox emulation of ${tool} v1.32.13`)
    }
    // What scripts parse stays exactly as the real binaries print it.
    expect((await run('cp1', 'kubelet', ['--version'])).stdout).to.equal('Kubernetes v1.32.13\n')
    expect((await run('cp1', 'kubeadm', ['version', '-o', 'short'])).stdout).to.equal('v1.32.13\n')
  })

  it('refuses a config with an unknown field, naming it as kubeadm does', async () => {
    writeFileSync(join(rootOf('cp1'), 'bad.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersoin: v1.32.13\n')
    const r = await run('cp1', 'kubeadm', ['init', '--config', '/bad.yaml'])
    expect(r.code).to.equal(1)
    expect(r.stderr).to.contain('strict decoding error: unknown field "kubernetesVersoin"')
    const mixed = await run('cp1', 'kubeadm', ['init', '--config', '/kubeadm.yaml', '--pod-network-cidr', '10.0.0.0/8'])
    expect(mixed.stderr).to.match(/^can not mix '--config' with arguments \[pod-network-cidr\]\n/)
    const unknownFlag = await run('cp1', 'kubeadm', ['init', '--pod-network-cird', '10.0.0.0/8'])
    expect(unknownFlag.stderr).to.match(/^unknown flag: --pod-network-cird\n/)
    const dryRun = await run('cp1', 'kubeadm', ['init', '--config', '/kubeadm.yaml', '--dry-run'])
    expect(dryRun.stderr).to.contain('dry-run is not supported by the kubeseed sandbox emulation')
    const gate = await run('cp1', 'kubeadm', ['init', '--feature-gates', 'NoSuchGate=true'])
    expect(gate.stderr).to.match(/unrecognized feature-gate key: NoSuchGate/)
    const cpJoin = await run('cp1', 'kubeadm', ['join', '--config', '/kubeadm.yaml', '--control-plane', '--certificate-key', 'ab'.repeat(32)])
    expect(cpJoin.stderr).to.match(/^can not mix '--config' with arguments \[certificate-key control-plane\]\n/)
    const reset = await run('cp1', 'kubeadm', ['reset', '-f', '--config', '/kubeadm.yaml'])
    expect(reset.stderr).to.match(/^can not mix '--config' with arguments \[force\]\n/)
  })

  it('fails preflight for images missing from the runtime, and inits with the check ignored', async () => {
    const failing = await run('cp1', 'kubeadm', ['init', '--config', '/kubeadm.yaml', '--ignore-preflight-errors=NumCPU,Mem'])
    if (failing.code === 0) throw new Error(`init unexpectedly passed preflight: ${failing.stdout}`)
    expect(failing.stderr).to.contain('[ERROR ImagePull]: image registry.k8s.io/kube-apiserver:v1.32.13 does not exist and the image pull policy is "Never"')
    const init = run('cp1', 'kubeadm', ['init', '--config', '/kubeadm.yaml', '--upload-certs', '--ignore-preflight-errors=ImagePull,NumCPU,Mem'])
    await waitUntil('kubelet config from kubeadm', 60_000, () => existsSync(join(rootOf('cp1'), 'var/lib/kubelet/kubeadm-flags.env')))
    kubelet('cp1')
    const r = await init
    expect(r.stderr).to.equal('')
    expect(r.code).to.equal(0)
    const pki = join(rootOf('cp1'), 'etc/kubernetes/pki')
    expect(spawnSync('openssl', ['verify', '-CAfile', join(pki, 'ca.crt'), join(pki, 'apiserver.crt')]).status).to.equal(0)
    const opensslHash = spawnSync('sh', ['-c', `openssl x509 -in ${join(pki, 'ca.crt')} -noout -pubkey | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1`], { encoding: 'utf8' }).stdout.trim()
    const m = /kubeadm join (\S+) --token (\S+) \\\n\t--discovery-token-ca-cert-hash (\S+)\s*$/.exec(r.stdout)
    expect(m, r.stdout).to.not.equal(null)
    expect(m![3]).to.equal(`sha256:${opensslHash}`)
    joinLine = `${m![1]} ${m![2]} ${m![3]}`
    certificateKey = /\[upload-certs\] Using certificate key:\n([0-9a-f]{64})\n/.exec(r.stdout)![1]!
    for (const f of ['admin.conf', 'super-admin.conf', 'kubelet.conf', 'controller-manager.conf', 'scheduler.conf', 'manifests/kube-apiserver.yaml', 'manifests/etcd.yaml', 'pki/sa.pub', 'pki/etcd/ca.crt']) {
      expect(existsSync(join(rootOf('cp1'), 'etc/kubernetes', f)), f).to.equal(true)
    }
  })

  it('rejects a join with a wrong CA hash or an unknown token', async () => {
    const [endpoint, token] = joinLine.split(' ') as [string, string, string]
    const wrongHash = await run('w1', 'kubeadm', ['join', endpoint, '--token', token, '--discovery-token-ca-cert-hash', `sha256:${'0'.repeat(64)}`, '--cri-socket', criSocket, '--node-name', 'w1'])
    expect(wrongHash.code).to.equal(1)
    expect(wrongHash.stderr).to.match(/cluster CA found in cluster-info ConfigMap is invalid: none of the public keys "sha256:[0-9a-f]{64}" are pinned/)
    const wrongToken = await run('w1', 'kubeadm', ['join', endpoint, '--token', 'abcdef.0123456789abcdef', '--discovery-token-ca-cert-hash', joinLine.split(' ')[2]!, '--cri-socket', criSocket, '--node-name', 'w1'])
    expect(wrongToken.code).to.equal(1)
    expect(wrongToken.stderr).to.contain('could not find a JWS signature in the cluster-info ConfigMap for token ID "abcdef"')
    expect(existsSync(join(rootOf('w1'), 'etc/kubernetes/kubelet.conf'))).to.equal(false)
  })

  it('creates tokens with a join command, and certificate keys', async () => {
    const r = await run('cp1', 'kubeadm', ['token', 'create', '--print-join-command'])
    expect(r.stdout).to.match(new RegExp(`^kubeadm join ${CP_IP}:${API_PORT} --token [a-z0-9]{6}\\.[a-z0-9]{16} --discovery-token-ca-cert-hash ${joinLine.split(' ')[2]} \\n$`))
    expect((await run('cp1', 'kubeadm', ['certs', 'certificate-key'])).stdout).to.match(/^[0-9a-f]{64}\n$/)
    const bad = await run('cp1', 'kubeadm', ['token', 'create', 'not-a-token'])
    expect(bad.stderr).to.contain('token: Invalid value: "not-a-token": the bootstrap token is invalid')
    const dry = await run('cp1', 'kubeadm', ['token', 'create', 'dryrun.0123456789abcdef', '--dry-run'])
    expect(dry.stdout).to.contain('[dryrun] Would perform action CREATE on resource "secrets"')
    expect((await run('cp1', 'kubeadm', ['token', 'list'])).stdout).not.to.contain('dryrun.')
  })

  it('joins a worker whose kubelet registers through the bootstrap certificate', async () => {
    const [endpoint, token, hash] = joinLine.split(' ') as [string, string, string]
    mkdirSync(join(rootOf('w1'), 'etc/default'), { recursive: true })
    writeFileSync(join(rootOf('w1'), 'etc/default/kubelet'), `KUBELET_EXTRA_ARGS="--address=${WORKER_IP} --node-ip=${WORKER_IP} --healthz-port=21248"\n`)
    const r = await run('w1', 'kubeadm', ['join', endpoint, '--token', token, '--discovery-token-ca-cert-hash', hash, '--cri-socket', criSocket, '--node-name', 'w1'])
    expect(r.stderr).to.equal('')
    expect(r.code).to.equal(0)
    expect(r.stdout).to.contain('This node has joined the cluster')
    kubelet('w1')
    await waitUntil('worker node registered', 20_000, async () => (await run('cp1', 'kubectl', ['--kubeconfig', '/etc/kubernetes/admin.conf', 'get', 'node', 'w1'])).code === 0)
  })

  it('lists nodes NotReady until the runtime has a network config, then Ready', async () => {
    const kc = ['--kubeconfig', '/etc/kubernetes/admin.conf']
    const before = await run('cp1', 'kubectl', [...kc, 'get', 'nodes'])
    expect(before.stdout).to.match(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\ncp1\s+NotReady\s+control-plane\s+\S+\s+v1\.32\.13\nw1\s+NotReady\s+<none>\s+\S+\s+v1\.32\.13$/m)
    const conflist = JSON.stringify({ cniVersion: '1.0.0', name: 'test', plugins: [{ type: 'bridge', bridge: 'cni0', ipam: { type: 'host-local', subnet: '10.244.0.0/24' } }] })
    writeFileSync(join(cniDir, '10-bridge.conflist'), conflist)
    // containerd here reads its own conf_dir; the kubelet also wants a network config in the node's /etc/cni/net.d.
    await new Promise((r) => setTimeout(r, 3_000))
    const runtimeOnly = await run('cp1', 'kubectl', [...kc, 'get', 'node', 'w1', '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}'])
    expect(runtimeOnly.stdout.trim()).to.equal('container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized')
    for (const n of ['cp1', 'w1', 'cp2']) {
      mkdirSync(join(rootOf(n), 'etc/cni/net.d'), { recursive: true })
      writeFileSync(join(rootOf(n), 'etc/cni/net.d/10-bridge.conflist'), conflist)
    }
    await waitUntil('nodes Ready', 30_000, async () => {
      const r = await run('cp1', 'kubectl', [...kc, 'get', 'nodes', '-o', 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}'])
      return r.stdout.trim() === 'True True'
    })
    const wide = await run('cp1', 'kubectl', [...kc, 'get', 'node', 'w1', '-o', 'wide'])
    expect(wide.stdout).to.match(/w1\s+Ready\s+<none>\s+\S+\s+v1\.32\.13\s+127\.0\.10\.2\s+<none>\s+.+\s+containerd:\/\/1\.6/)
    const json = JSON.parse((await run('cp1', 'kubectl', [...kc, 'get', 'node', 'cp1', '-o', 'json'])).stdout)
    expect(json.spec.taints).to.deep.equal([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }])
  })

  it('joins a second control plane only with the right certificate key, and its API server shares the cluster', async () => {
    const [endpoint, token, hash] = joinLine.split(' ') as [string, string, string]
    const joinConfig = (key: string) => `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: ${token}
    apiServerEndpoint: ${endpoint}
    caCertHashes: [${hash}]
nodeRegistration:
  name: cp2
  criSocket: ${criSocket}
  imagePullPolicy: Never
controlPlane:
  localAPIEndpoint:
    advertiseAddress: ${CP2_IP}
    bindPort: 26443
${key ? `  certificateKey: ${key}\n` : ''}`
    const r2 = rootOf('cp2')
    mkdirSync(join(r2, 'etc/default'), { recursive: true })
    writeFileSync(join(r2, 'etc/default/kubelet'), `KUBELET_EXTRA_ARGS="--address=${CP2_IP} --node-ip=${CP2_IP} --healthz-port=22248"\n`)
    const ignore = '--ignore-preflight-errors=ImagePull,NumCPU,Mem'
    writeFileSync(join(r2, 'nokey.yaml'), joinConfig(''))
    const noKey = await run('cp2', 'kubeadm', ['join', '--config', '/nokey.yaml', ignore])
    expect(noKey.stderr).to.contain('a certificate key is required to download the certificates')
    writeFileSync(join(r2, 'wrongkey.yaml'), joinConfig('ab'.repeat(32)))
    const wrongKey = await run('cp2', 'kubeadm', ['join', '--config', '/wrongkey.yaml', ignore])
    expect(wrongKey.stderr).to.contain('error decoding secret data with provided key: cipher: message authentication failed')
    writeFileSync(join(r2, 'join.yaml'), joinConfig(certificateKey))
    const joining = run('cp2', 'kubeadm', ['join', '--config', '/join.yaml', ignore])
    await Promise.race([
      waitUntil('cp2 kubelet config', 60_000, () => existsSync(join(r2, 'etc/kubernetes/kubelet.conf')) && existsSync(join(r2, 'var/lib/kubelet/kubeadm-flags.env'))),
      joining.then((early) => { throw new Error(`join ended before its kubelet started: ${early.stderr}\n${early.stdout.slice(-600)}`) }),
    ])
    kubelet('cp2')
    const r = await joining
    expect(r.stderr).to.equal('')
    expect(r.stdout).to.contain('This node has joined the cluster and a new control plane instance was created')
    for (const f of ['ca.key', 'sa.key', 'front-proxy-ca.key', 'etcd/ca.key']) {
      expect(readFileSync(join(r2, 'etc/kubernetes/pki', f), 'utf8')).to.equal(readFileSync(join(rootOf('cp1'), 'etc/kubernetes/pki', f), 'utf8'))
    }
    // controller-manager.conf talks to the local API server, which relays to the first control plane.
    expect(readFileSync(join(r2, 'etc/kubernetes/controller-manager.conf'), 'utf8')).to.contain(`server: https://${CP2_IP}:26443`)
    const viaCp2 = await run('cp2', 'kubectl', ['--kubeconfig', '/etc/kubernetes/controller-manager.conf', 'get', 'nodes', '-o', 'name'])
    expect(viaCp2.stdout.split('\n').filter(Boolean).sort()).to.deep.equal(['node/cp1', 'node/cp2', 'node/w1'])
    const roles = await run('cp1', 'kubectl', ['--kubeconfig', '/etc/kubernetes/admin.conf', 'get', 'node', 'cp2'])
    expect(roles.stdout).to.match(/cp2\s+\S+\s+control-plane/)
  })

  it('upgrades one minor at a time, only with a kubeadm of the target version', async () => {
    const kc = ['--kubeconfig', '/etc/kubernetes/admin.conf']
    const bin133 = join(base, 'bin-1.33')
    const bin134 = join(base, 'bin-1.34')
    await buildEmulatedBinaries(bin133, '1.33.2')
    await buildEmulatedBinaries(bin134, '1.34.1')
    const old = await run('cp1', 'kubeadm', ['upgrade', 'apply', 'v1.33.2', '-y'])
    expect(old.code).to.equal(1)
    expect(old.stderr).to.contain('Specified version to upgrade to "v1.33.2" is higher than the kubeadm version "v1.32.13". Upgrade kubeadm first')
    const skip = await run('cp1', 'kubeadm', ['upgrade', 'apply', 'v1.34.1', '-y'], bin134)
    expect(skip.code).to.equal(1)
    expect(skip.stderr).to.contain('Specified version to upgrade to "v1.34.1" is too high; kubeadm can upgrade only 1 minor version at a time')
    // A node waits for the control plane: kubeadm of the next minor refuses `upgrade node` before `upgrade apply`.
    const early = await run('w1', 'kubeadm', ['upgrade', 'node'], bin133)
    expect(early.code).to.equal(1)
    expect(early.stderr).to.contain('the control plane is still at v1.32.13 and this kubeadm is v1.33.2: run "kubeadm upgrade apply v1.33.2" on the first control plane before upgrading this node')
    const plan = await run('cp1', 'kubeadm', ['upgrade', 'plan'], bin133)
    expect(plan.stdout).to.contain('kubeadm upgrade apply v1.33.2')
    const apply = await run('cp1', 'kubeadm', ['upgrade', 'apply', 'v1.33.2', '-y'], bin133)
    expect(apply.stderr).to.equal('')
    expect(apply.stdout).to.contain('[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v1.33.2".')
    const version = await run('cp1', 'kubectl', [...kc, 'version', '-o', 'json'])
    expect(JSON.parse(version.stdout).serverVersion.gitVersion).to.equal('v1.33.2')
    expect(readFileSync(join(rootOf('cp1'), 'etc/kubernetes/manifests/kube-apiserver.yaml'), 'utf8')).to.contain('image: registry.k8s.io/kube-apiserver:v1.33.2')
  })

  it('labels, taints, cordons, drains and deletes nodes; applies and reads objects', async () => {
    const kc = ['--kubeconfig', '/etc/kubernetes/admin.conf']
    expect((await run('cp1', 'kubectl', [...kc, 'label', 'node', 'w1', 'node-role.kubernetes.io/worker='])).stdout).to.equal('node/w1 labeled\n')
    const relabel = await run('cp1', 'kubectl', [...kc, 'label', 'node', 'w1', 'node-role.kubernetes.io/worker=x'])
    expect(relabel.code).to.equal(1)
    expect(relabel.stderr).to.contain("'node-role.kubernetes.io/worker' already has a value (), and --overwrite is false")
    expect((await run('cp1', 'kubectl', [...kc, 'taint', 'node', 'w1', 'dedicated=db:NoSchedule'])).stdout).to.equal('node/w1 tainted\n')
    writeFileSync(join(rootOf('cp1'), 'pod.yaml'), `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: default
  ownerReferences:
  - apiVersion: apps/v1
    kind: ReplicaSet
    name: web-1
    uid: "1"
    controller: true
spec:
  nodeName: w1
  containers:
  - name: web
    image: nginx
  volumes:
  - name: scratch
    emptyDir: {}
`)
    expect((await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/pod.yaml'])).stdout).to.equal('pod/web created\n')
    expect((await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/pod.yaml'])).stdout).to.equal('pod/web unchanged\n')
    const yaml = await run('cp1', 'kubectl', [...kc, 'get', 'pod', 'web', '-o', 'yaml'])
    expect(yaml.stdout).to.contain('nodeName: w1')
    const blocked = await run('cp1', 'kubectl', [...kc, 'drain', 'w1', '--ignore-daemonsets'])
    expect(blocked.code).to.equal(1)
    expect(blocked.stderr).to.contain('cannot delete Pods with local storage (use --delete-emptydir-data to override): default/web')
    const drained = await run('cp1', 'kubectl', [...kc, 'drain', 'w1', '--ignore-daemonsets', '--delete-emptydir-data'])
    expect(drained.stdout).to.contain('node/w1 already cordoned\nevicting pod default/web\npod/web evicted\nnode/w1 drained')
    expect((await run('cp1', 'kubectl', [...kc, 'get', 'nodes'])).stdout).to.match(/w1\s+Ready,SchedulingDisabled\s+worker/)
    expect((await run('cp1', 'kubectl', [...kc, 'uncordon', 'w1'])).stdout).to.equal('node/w1 uncordoned\n')
    expect((await run('cp1', 'kubectl', [...kc, 'delete', 'node', 'w1'])).stdout).to.equal('node "w1" deleted\n')
    const gone = await run('cp1', 'kubectl', [...kc, 'get', 'node', 'w1'])
    expect(gone.stderr).to.equal('Error from server (NotFound): nodes "w1" not found\n')
  })

  it('applies manifests the way kubectl and a strict API server do: CRDs first, unknown fields refused, re-apply unchanged', async () => {
    const kc = ['--kubeconfig', '/etc/kubernetes/admin.conf']
    writeFileSync(join(rootOf('cp1'), 'net.yaml'), `apiVersion: v1
kind: Namespace
metadata:
  name: kube-flannel
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ippools.crd.projectcalico.org
spec:
  group: crd.projectcalico.org
  names: {kind: IPPool, listKind: IPPoolList, plural: ippools, singular: ippool}
  scope: Cluster
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          apiVersion: {type: string}
          kind: {type: string}
          metadata: {type: object}
          spec:
            type: object
            properties:
              cidr: {type: string}
              blockSize: {type: integer}
---
apiVersion: crd.projectcalico.org/v1
kind: IPPool
metadata:
  name: default-pool
spec:
  cidr: 10.233.64.0/18
  blockSize: 26
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: kube-flannel-ds
  namespace: kube-flannel
spec:
  selector:
    matchLabels: {app: flannel}
  template:
    metadata:
      labels: {app: flannel}
    spec:
      hostNetwork: true
      tolerations:
      - {operator: Exists, effect: NoSchedule}
      containers:
      - name: kube-flannel
        image: ghcr.io/flannel-io/flannel:v0.28.4
        resources:
          requests: {cpu: 100m, memory: 50Mi}
        securityContext:
          privileged: false
          capabilities: {add: [NET_ADMIN, NET_RAW]}
`)
    const first = await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/net.yaml'])
    expect(first.code).to.equal(1)
    expect(first.stdout).to.equal('namespace/kube-flannel created\ncustomresourcedefinition.apiextensions.k8s.io/ippools.crd.projectcalico.org created\ndaemonset.apps/kube-flannel-ds created\n')
    expect(first.stderr).to.equal('error: resource mapping not found for name: "default-pool" namespace: "" from "/net.yaml": no matches for kind "IPPool" in version "crd.projectcalico.org/v1"\nensure CRDs are installed first\n')
    expect((await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/net.yaml'])).stdout).to.contain('ippool.crd.projectcalico.org/default-pool created\n')
    const again = await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/net.yaml'])
    expect(again.stdout.trim().split('\n').map((l) => l.split(' ')[1])).to.deep.equal(['unchanged', 'unchanged', 'unchanged', 'unchanged'])
    expect((await run('cp1', 'kubectl', [...kc, 'get', 'ippools'])).stdout).to.match(/^NAME\s+AGE\ndefault-pool\s+\S+$/m)
    writeFileSync(join(rootOf('cp1'), 'typo.yaml'), readFileSync(join(rootOf('cp1'), 'net.yaml'), 'utf8').replace('hostNetwork: true', 'hostNetwrok: true').replace('name: kube-flannel-ds', 'name: typo-ds'))
    const typo = await run('cp1', 'kubectl', [...kc, 'apply', '-f', '/typo.yaml'])
    expect(typo.code).to.equal(1)
    expect(typo.stderr).to.equal('Error from server (BadRequest): error when creating "/typo.yaml": DaemonSet in version "v1" cannot be handled as a DaemonSet: strict decoding error: unknown field "spec.template.spec.hostNetwrok"\n')
    const ds = await run('cp1', 'kubectl', [...kc, 'get', 'ds', '-A'])
    expect(ds.stdout).to.match(/^NAMESPACE\s+NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE$/m)
    expect(ds.stdout).to.match(/^kube-flannel\s+kube-flannel-ds\s+[1-9]\s+0\s+0\s+0\s+0\s+<none>\s+\S+$/m)
    expect(ds.stdout).to.match(/^kube-system\s+kube-proxy\s+[1-9]\s+0\s+0\s+0\s+0\s+kubernetes.io\/os=linux\s+\S+$/m)
    // kubectl names a type of a named group as kind.group, in -o name as in its messages
    expect((await run('cp1', 'kubectl', [...kc, 'get', 'ds', '-n', 'kube-flannel', '-o', 'name'])).stdout).to.equal('daemonset.apps/kube-flannel-ds\n')
    expect((await run('cp1', 'kubectl', [...kc, 'label', 'ds', '-n', 'kube-flannel', 'kube-flannel-ds', 'tier=node'])).stdout).to.equal('daemonset.apps/kube-flannel-ds labeled\n')
    const pods = await run('cp1', 'kubectl', [...kc, 'get', 'pods', '-A'])
    expect(pods.stderr).to.equal('No resources found\n')
    writeFileSync(join(rootOf('cp1'), 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: created-once\n')
    expect((await run('cp1', 'kubectl', [...kc, 'create', '-f', '/ns.yaml'])).stdout).to.equal('namespace/created-once created\n')
    const twice = await run('cp1', 'kubectl', [...kc, 'create', '-f', '/ns.yaml'])
    expect([twice.code, twice.stderr]).to.deep.equal([1, 'Error from server (AlreadyExists): error when creating "/ns.yaml": namespaces "created-once" already exists\n'])
  })

  it('answers kubectl without a kubeconfig as kubectl does', async () => {
    const r = await run('w1', 'kubectl', ['get', 'nodes'])
    expect(r.code).to.equal(1)
    expect(r.stderr).to.contain('The connection to the server localhost:8080 was refused')
  })

  it('resets the nodes', async () => {
    for (const n of ['w1', 'cp2', 'cp1']) {
      const r = await run(n, 'kubeadm', ['reset', '-f'])
      expect(r.code).to.equal(0)
      expect(existsSync(join(rootOf(n), 'etc/kubernetes/kubelet.conf'))).to.equal(false)
    }
    expect(existsSync(join(rootOf('cp1'), 'etc/kubernetes/pki'))).to.equal(false)
  })
})
