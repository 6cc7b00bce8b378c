import { expect } from 'chai'
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { load } from 'js-yaml'
import { ensureRootfs } from '../../../src/sandbox/rootfs.js'
import { sandboxDown, sandboxList, sandboxSsh, sandboxUp } from '../../../src/sandbox/index.js'
import type { SandboxUpResult } from '../../../src/sandbox/index.js'
import { mountsUnder } from '../../../src/sandbox/mounts.js'
import { isSameProcess } from '../../../src/sandbox/process-tree.js'
import { findStateDir } from '../../../src/sandbox/state.js'
import { events, kubeseed, totalChanged } from '../../harness/cli.js'
import { requireRoot } from '../../harness/requirements.js'

const execFileP = promisify(execFile)
const NAME = 'kse2e'
const SUBNET = '10.231.250.0/24'

interface Ran { code: number; stdout: string; stderr: string }

/** The plain OpenSSH client, strict host-key checking against the sandbox's known_hosts only. */
async function ssh(up: SandboxUpResult, address: string, command: string, opts: { user?: string; knownHosts?: string; input?: string } = {}): Promise<Ran> {
  const args = ['-F', '/dev/null', '-i', up.privateKey, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes',
    '-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${opts.knownHosts ?? up.knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=5', `${opts.user ?? 'root'}@${address}`, command]
  return await new Promise((resolve) => {
    const child = execFile('ssh', args, { timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 255) : 0
      resolve({ code, stdout, stderr })
    })
    child.stdin?.end(opts.input ?? '')
  })
}

async function hostLinks(): Promise<string[]> {
  const { stdout } = await execFileP('ip', ['-j', 'link', 'show'])
  return (JSON.parse(stdout) as Array<{ ifname: string }>).map((l) => l.ifname)
}

function processesUsing(dir: string): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((pid) => {
    try { return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir) } catch { return false }
  }).map(Number)
}

/** Running and not a zombie (a zombie has ended; its parent has just not collected it yet). */
function running(pid: number): boolean {
  try { return !/^\S+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')) } catch { return false }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((e) => /^\d+$/.test(e)).filter((p) => {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8')
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid
    } catch { return false }
  }).map(Number)
}

describe('sandbox (e2e: systemd-nspawn nodes on a private bridge)', function () {
  this.timeout(120_000)
  let stateDir: string
  let scratch: string
  let up: SandboxUpResult
  let downDone = false

  before(async function () {
    requireRoot('systemd-nspawn, bridges and mounts')
    // Building the root filesystem the first time on a machine takes a few minutes; after that it is cached.
    this.timeout(20 * 60_000)
    await ensureRootfs()
    stateDir = mkdtempSync(join(tmpdir(), 'kubeseed-sandbox-e2e-'))
    scratch = mkdtempSync(join(tmpdir(), 'kubeseed-sandbox-e2e-scratch-'))
    await sandboxDown({ name: NAME })
    up = await sandboxUp({ name: NAME, nodes: 3, subnet: SUBNET, stateDir })
  })

  after(async function () {
    if (!downDone && up) await sandboxDown({ name: NAME })
    for (const d of [stateDir, scratch]) if (d) rmSync(d, { recursive: true, force: true })
  })

  it('boots three nodes that all report systemd running', () => {
    expect(up.nodes.map((n) => [n.node, n.status, n.failedUnits])).to.deep.equal([
      ['node1', 'running', []], ['node2', 'running', []], ['node3', 'running', []],
    ])
  })

  it('writes a kubespray inventory, login vars, a private key only root can read and every host key', () => {
    const inv = load(readFileSync(up.inventory, 'utf8')) as any
    expect(inv.all.hosts).to.deep.equal({
      node1: { ansible_host: '10.231.250.2', ip: '10.231.250.2', access_ip: '10.231.250.2' },
      node2: { ansible_host: '10.231.250.3', ip: '10.231.250.3', access_ip: '10.231.250.3' },
      node3: { ansible_host: '10.231.250.4', ip: '10.231.250.4', access_ip: '10.231.250.4' },
    })
    expect(Object.keys(inv.all.children.kube_control_plane.hosts)).to.deep.equal(['node1'])
    expect(Object.keys(inv.all.children.etcd.hosts)).to.deep.equal(['node1'])
    expect(Object.keys(inv.all.children.kube_node.hosts)).to.deep.equal(['node2', 'node3'])
    const vars = load(readFileSync(join(stateDir, 'inventory/group_vars/all.yaml'), 'utf8')) as Record<string, string>
    expect(vars.ansible_user).to.equal('root')
    expect(vars.ansible_ssh_private_key_file).to.equal(up.privateKey)
    expect(statSync(up.privateKey).mode & 0o777).to.equal(0o600)
    expect(readFileSync(up.knownHosts, 'utf8').trim().split('\n')).to.have.length(3)
  })

  it('logs in to every node with strict host-key checking; each has its hostname and systemd running', async () => {
    for (const node of up.state.nodes) {
      const r = await ssh(up, node.address, 'hostname; systemctl is-system-running')
      expect(r, r.stderr).to.include({ code: 0 })
      expect(r.stdout.trim().split('\n')).to.deep.equal([node.name, 'running'])
    }
  })

  it('refuses a node whose host key is not the one in known_hosts', async () => {
    const n1 = up.state.nodes[0]
    const swapped = join(scratch, 'wrong_known_hosts')
    const node2Key = readFileSync(up.knownHosts, 'utf8').split('\n').find((l) => l.startsWith('node2,')) as string
    writeFileSync(swapped, `${n1.address} ${node2Key.split(' ').slice(1).join(' ')}\n`)
    const r = await ssh(up, n1.address, 'true', { knownHosts: swapped })
    expect(r.code).to.equal(255)
    expect(r.stderr).to.match(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/)
  })

  it('lets each node reach the bastion and the other nodes by name, and nothing else: no default route', async () => {
    for (const node of up.state.nodes) {
      const others = up.state.nodes.filter((n) => n !== node).map((n) => n.name)
      const pings = ['bastion', ...others].map((h) => `ping -c1 -W2 ${h} >/dev/null && echo reach-${h}`).join('; ')
      const r = await ssh(up, node.address, `${pings}; echo routes:; ip -4 route show; ip -6 route show default; ip route get 192.0.2.1 2>&1; echo rc=$?`)
      const lines = r.stdout.trim().split('\n')
      expect(lines.slice(0, 3)).to.deep.equal(['bastion', ...others].map((h) => `reach-${h}`))
      const routes = lines.slice(lines.indexOf('routes:') + 1)
      expect(routes[0]).to.match(new RegExp(`^10\\.231\\.250\\.0/24 dev host0 proto kernel scope link src ${node.address.replace(/\./g, '\\.')}`))
      expect(routes.slice(1)).to.deep.equal(['RTNETLINK answers: Network is unreachable', 'rc=2'])
    }
  })

  it('leaves the bastion without forwarding or NAT for the bridge', async () => {
    const { stdout: nat } = await execFileP('iptables-save', ['-t', 'nat']).catch(() => ({ stdout: '' }))
    const { stdout: nft } = await execFileP('nft', ['list', 'ruleset']).catch(() => ({ stdout: '' }))
    expect(`${nat}\n${nft}`).not.to.match(/ks-kse2e|10\.231\.250\./)
    expect(readFileSync('/proc/sys/net/ipv4/conf/ks-kse2e/forwarding', 'utf8').trim()).to.equal(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim())
  })

  it('has a deploy user whose sudo wants the right password', async () => {
    const node = up.state.nodes[1]
    const good = await ssh(up, node.address, 'sudo -S -p "" id -u', { user: 'deploy', input: `${up.state.deployPassword}\n` })
    expect(good.stdout.trim(), good.stderr).to.equal('0')
    const bad = await ssh(up, node.address, 'sudo -S -p "" id -u', { user: 'deploy', input: 'wrong\n' })
    expect(bad.code).to.not.equal(0)
    expect(bad.stderr).to.match(/incorrect password|try again/)
  })

  it('lets a container runtime overlay-mount under /var/lib/containerd (a plain directory, not the node overlay)', async () => {
    const r = await ssh(up, up.state.nodes[0].address, [
      'set -e', 'd=/var/lib/containerd/t', 'mkdir -p $d/l $d/u $d/w $d/m', 'echo hi > $d/l/f',
      'mount -t overlay overlay -o lowerdir=$d/l,upperdir=$d/u,workdir=$d/w $d/m', 'cat $d/m/f', 'umount $d/m', 'rm -rf $d',
    ].join('; '))
    expect(r.stdout.trim(), r.stderr).to.equal('hi')
  })

  // From the bastion's module tree when it has one, else from the modules.builtin the sandbox writes.
  it('lets modprobe find br_netfilter and overlay', async () => {
    const r = await ssh(up, up.state.nodes[0].address, 'modprobe br_netfilter && modprobe overlay && echo ok')
    expect(r.stdout.trim(), r.stderr).to.equal('ok')
  })

  it('converges a playbook over ssh as root and as a sudo user, and the second run changes nothing', () => {
    const pb = join(scratch, 'trivial.yaml')
    writeFileSync(pb, [
      '- hosts: k8s_cluster', '  become: true', '  tasks:',
      '    - name: motd', '      copy:', '        dest: /etc/motd', '        content: "kubeseed sandbox {{ inventory_hostname }} ({{ ansible_distribution_release }})\\n"',
      '        mode: "0644"',
      '    - name: environment line', '      lineinfile:', '        path: /etc/environment', '        line: KUBESEED_SANDBOX=1',
      '    - name: marker once', '      command: touch /var/lib/kubeseed-marker', '      args:', '        creates: /var/lib/kubeseed-marker',
      '    - name: who am i', '      command: id -un', '      register: who', '      changed_when: false',
      "    - assert:", "        that: who.stdout == 'root'",
      '    - name: unit file', '      copy:', '        dest: /etc/systemd/system/ks-hello.service',
      '        content: "[Unit]\\nDescription=kubeseed test service\\n[Service]\\nExecStart=/bin/sleep infinity\\n[Install]\\nWantedBy=multi-user.target\\n"',
      '      notify: restart hello',
      '    - name: service', '      systemd:', '        name: ks-hello', '        state: started', '        enabled: true', '        daemon_reload: true',
      '    - name: forwarding', '      sysctl:', '        name: net.ipv4.ip_forward', '        value: "1"',
      '    - name: bridge netfilter module', '      modprobe:', '        name: br_netfilter', '        state: present', '        persistent: present',
      '    - name: no swap', '      swap: {}',
      '    - name: sshd answers', '      wait_for:', '        port: 22', '        host: "{{ ansible_host }}"', '        timeout: 10',
      '  handlers:', '    - name: restart hello', '      systemd:', '        name: ks-hello', '        state: restarted', '',
    ].join('\n'))
    const asRoot = ['play', pb, '-i', up.inventory, '--output', 'json']
    const first = kubeseed(asRoot)
    expect(first.code, first.stderr + first.stdout.slice(-2000)).to.equal(0)
    const r1 = events(first).recap
    expect(Object.keys(r1.hosts).sort()).to.deep.equal(['node1', 'node2', 'node3'])
    for (const h of Object.values(r1.hosts)) expect(h.changed).to.be.at.least(7)
    const second = kubeseed(asRoot)
    expect(second.code, second.stderr).to.equal(0)
    expect(totalChanged(events(second).recap)).to.equal(0)
    for (const node of up.state.nodes.filter((n) => n.name !== 'node0')) {
      const st = kubeseed(['sandbox', 'ssh', node.name, '--name', NAME, 'systemctl is-active ks-hello; systemctl is-enabled ks-hello; sysctl -n net.ipv4.ip_forward; cat /etc/modules-load.d/br_netfilter.conf'])
      expect(st.stdout.trim().split('\n'), st.stderr).to.deep.equal(['active', 'enabled', '1', 'br_netfilter'])
    }
    // The same playbook as the non-root `deploy` user escalating with sudo and its password.
    const asDeploy = kubeseed([...asRoot, '-e', `ansible_user=${up.state.deployUser}`, '-e', `ansible_become_password=${up.state.deployPassword}`])
    expect(asDeploy.code, asDeploy.stderr + asDeploy.stdout.slice(-2000)).to.equal(0)
    expect(totalChanged(events(asDeploy).recap)).to.equal(0)
    expect(asDeploy.stdout).to.not.include(up.state.deployPassword)
  })

  it('is idempotent: a second up boots nothing and keeps the same node processes', async () => {
    const again = await sandboxUp({ name: NAME, nodes: 3, subnet: SUBNET, stateDir })
    expect(again.booted).to.deep.equal([])
    expect(again.state.nodes.map((n) => n.pid)).to.deep.equal(up.state.nodes.map((n) => n.pid))
    expect(again.nodes.every((n) => n.status === 'running')).to.equal(true)
  })

  it('belongs to this process: another process\'s up or down of the name is refused in one line, and the nodes keep running', () => {
    for (const args of [['up', '--nodes', '3', '--subnet', SUBNET], ['down']]) {
      const r = kubeseed(['sandbox', ...args, '--name', NAME])
      expect(r.code, r.stdout).to.equal(4)
      expect(r.stderr.trim()).to.match(new RegExp(`^kubeseed: sandbox "${NAME}" is in use by pid ${process.pid} \\([^\\n]+$`))
    }
    for (const n of up.state.nodes) expect(isSameProcess(n.pid, n.startTime), n.name).to.equal(true)
  })

  it('refuses a second sandbox on a subnet already in use, creating nothing', async () => {
    const refused = await sandboxUp({ name: 'kse2eclash', nodes: 1, subnet: SUBNET }).then(() => undefined, (e: Error) => e)
    expect(refused?.message).to.match(/subnet 10\.231\.250\.0\/24 is already used by ks-kse2e/)
    expect(findStateDir('kse2eclash')).to.equal(undefined)
    expect(await hostLinks()).not.to.include('ks-kse2eclash')
  })

  it('is listed, and sandboxSsh runs commands on a node', async () => {
    const listed = sandboxList().find((s) => s.name === NAME)
    expect(listed?.nodes.map((n) => [n.name, n.running])).to.deep.equal([['node1', true], ['node2', true], ['node3', true]])
    const r = await sandboxSsh({ name: NAME, node: 'node3', command: 'cat /etc/hostname', stdio: 'pipe' })
    expect(r).to.include({ code: 0, stdout: 'node3\n' })
  })

  it('goes down leaving no mounts, links, processes, cgroups or state behind, even with a node whose nspawn was killed', async () => {
    const { stdout } = await execFileP('ip', ['-j', 'link', 'show', 'master', 'ks-kse2e'])
    const veths = (JSON.parse(stdout) as Array<{ ifname: string }>).map((l) => l.ifname)
    expect(veths).to.have.length(3)
    const pids = up.state.nodes.map((n) => n.pid as number)
    const cgroups = up.state.nodes.flatMap((n) => n.cgroups ?? [])
    expect(cgroups.length).to.be.at.least(3)

    // Killing nspawn hard orphans the node's systemd; down must still find and end it.
    const hardKilled = up.state.nodes[1].pid as number
    const orphan = childrenOf(hardKilled)
    expect(orphan).to.have.length(1)
    process.kill(hardKilled, 'SIGKILL')
    while (running(hardKilled)) await new Promise((r) => setTimeout(r, 50))
    expect(running(orphan[0]), 'orphaned node init').to.equal(true)

    const result = await sandboxDown({ name: NAME })
    downDone = true
    expect(result).to.deep.equal({ removed: true, stoppedNodes: ['node1', 'node2', 'node3'] })
    expect(mountsUnder(stateDir)).to.deep.equal([])
    const links = await hostLinks()
    expect(links.filter((l) => l === 'ks-kse2e' || veths.includes(l))).to.deep.equal([])
    expect(processesUsing(stateDir)).to.deep.equal([])
    for (const pid of [...pids, ...orphan]) expect(running(pid), `pid ${pid}`).to.equal(false)
    expect(readdirSync('/run/systemd/nspawn/propagate').filter((m) => m.startsWith(`${NAME}-`))).to.deep.equal([])
    for (const c of cgroups) expect(existsSync(c), c).to.equal(false)
    expect(existsSync(stateDir), 'state directory').to.equal(false)
    expect(findStateDir(NAME)).to.equal(undefined)
    expect(await sandboxDown({ name: NAME })).to.deep.equal({ removed: false, stoppedNodes: [] })
  })
})
