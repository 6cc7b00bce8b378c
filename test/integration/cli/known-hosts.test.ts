// Which host keys a run trusts, against real sshd (light hosts on loopback): only --known-hosts, the files the
// inventory names (UserKnownHostsFile in ansible_ssh_common_args) and ~/.ssh/known_hosts; never a known_hosts
// file that merely lies beside the inventory. --accept-new-host-keys records into a trusted file only, and a
// changed key is refused whatever the options.

import { expect } from 'chai'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dump } from 'js-yaml'
import { events, kubeseed } from '../../harness/cli.js'
import { useLightCluster } from '../../harness/light-cluster.js'

describe('known_hosts trust (real sshd)', function () {
  this.timeout(120_000)
  const shared = useLightCluster({ count: 2, name: 'kh' })
  let dir: string
  let home: string

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-kh-'))
    home = join(dir, 'home')
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  /** An inventory of the light hosts without any ssh arguments, and a playbook that touches them. */
  function project(vars: Record<string, unknown> = {}): { inventory: string; playbook: string } {
    const c = shared.cluster
    const inventory = join(dir, 'hosts.yaml')
    writeFileSync(inventory, dump({ all: {
      hosts: Object.fromEntries(c.hosts.map((h) => [h.name, { ansible_host: h.address, ansible_port: h.port }])),
      vars: { ansible_user: 'root', ansible_ssh_private_key_file: c.keyFile, ...vars },
    } }))
    const playbook = join(dir, 'pb.yaml')
    writeFileSync(playbook, '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: "true"\n')
    return { inventory, playbook }
  }
  const run = (args: string[]) => kubeseed([...args, '--output', 'json'], { env: { HOME: home } })
  const unreachable = (r: ReturnType<typeof run>) => Object.entries(events(r).recap.hosts).filter(([, h]) => (h as { unreachable: boolean }).unreachable).map(([n]) => n)

  it('does not trust a known_hosts file beside the inventory, even one holding the right keys', () => {
    const { inventory, playbook } = project()
    const beside = join(dir, 'known_hosts')
    writeFileSync(beside, readFileSync(shared.cluster.knownHostsFile))
    const r = run(['play', playbook, '-i', inventory])
    expect(r.code, r.stdout + r.stderr).to.equal(3)
    expect(unreachable(r)).to.deep.equal(['kh1', 'kh2'])
    expect(r.stdout).to.include('is not known').and.include('--accept-new-host-keys')
    expect(readFileSync(beside, 'utf8')).to.equal(readFileSync(shared.cluster.knownHostsFile, 'utf8'))
    expect(existsSync(join(home, '.ssh', 'known_hosts'))).to.equal(false)
  })

  it('trusts --known-hosts FILE, and a file the inventory names with UserKnownHostsFile', () => {
    const { inventory, playbook } = project()
    const viaOption = run(['play', playbook, '-i', inventory, '--known-hosts', shared.cluster.knownHostsFile])
    expect(viaOption.code, viaOption.stdout + viaOption.stderr).to.equal(0)
    const named = project({ ansible_ssh_common_args: `-o UserKnownHostsFile=${shared.cluster.knownHostsFile}` })
    const viaInventory = run(['play', named.playbook, '-i', named.inventory])
    expect(viaInventory.code, viaInventory.stdout + viaInventory.stderr).to.equal(0)
  })

  it('trusts ~/.ssh/known_hosts', () => {
    const { inventory, playbook } = project()
    const ssh = join(home, '.ssh')
    mkdirSync(ssh, { recursive: true, mode: 0o700 })
    writeFileSync(join(ssh, 'known_hosts'), readFileSync(shared.cluster.knownHostsFile))
    const r = run(['play', playbook, '-i', inventory])
    expect(r.code, r.stdout + r.stderr).to.equal(0)
  })

  it('--accept-new-host-keys records new keys into --known-hosts only, then they are known', () => {
    const { inventory, playbook } = project()
    const beside = join(dir, 'known_hosts')
    writeFileSync(beside, '')
    const trusted = join(dir, 'trusted_known_hosts')
    const first = run(['play', playbook, '-i', inventory, '--known-hosts', trusted, '--accept-new-host-keys'])
    expect(first.code, first.stdout + first.stderr).to.equal(0)
    const recorded = readFileSync(trusted, 'utf8').trim().split('\n')
    expect(recorded).to.have.length(2)
    for (const h of shared.cluster.hosts) expect(recorded.some((l) => l.startsWith(`${h.port === 22 ? h.address : `[${h.address}]:${h.port}`} `)), recorded.join("\n")).to.equal(true)
    expect(readFileSync(beside, 'utf8')).to.equal('')
    expect(existsSync(join(home, '.ssh', 'known_hosts'))).to.equal(false)
    const again = run(['play', playbook, '-i', inventory, '--known-hosts', trusted])
    expect(again.code, again.stdout + again.stderr).to.equal(0)
  })

  it('--accept-new-host-keys without --known-hosts records into ~/.ssh/known_hosts, never beside the inventory', () => {
    const { inventory, playbook } = project()
    const r = run(['play', playbook, '-i', inventory, '--accept-new-host-keys'])
    expect(r.code, r.stdout + r.stderr).to.equal(0)
    expect(readFileSync(join(home, '.ssh', 'known_hosts'), 'utf8').trim().split('\n')).to.have.length(2)
    expect(existsSync(join(dir, 'known_hosts'))).to.equal(false)
  })

  it('refuses a changed host key, also with --accept-new-host-keys, and leaves the record alone', async () => {
    const c = shared.cluster
    const { inventory, playbook } = project()
    const trusted = join(dir, 'trusted_known_hosts')
    writeFileSync(trusted, readFileSync(c.knownHostsFile))
    await c.rotateHostKey('kh2')
    const r = run(['play', playbook, '-i', inventory, '--known-hosts', trusted, '--accept-new-host-keys'])
    expect(r.code, r.stdout + r.stderr).to.equal(3)
    expect(unreachable(r)).to.deep.equal(['kh2'])
    expect(r.stdout).to.include('CHANGED')
    expect(readFileSync(trusted, 'utf8')).to.equal(readFileSync(c.knownHostsFile, 'utf8'))
  })
})
