import { expect } from 'chai'
import { factVars, parseFacts } from '../../../src/engine/facts/parse.js'
import { FACTS_SCRIPT } from '../../../src/engine/facts/script.js'
import { LocalConnection } from '../../../src/engine/transport/local.js'

const SAMPLE = `
@@ks-facts os_release
PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION_CODENAME=jammy
ID=ubuntu
ID_LIKE=debian
@@ks-facts uname
aarch64
5.15.0-100-generic
Linux
cp1.example.org
@@ks-facts hostname_f
cp1.example.org
@@ks-facts user
deploy
1000
@@ks-facts meminfo
MemTotal:        8000000 kB
MemAvailable:    4096000 kB
SwapTotal:       2097148 kB
@@ks-facts swaps
Filename	Type	Size	Used	Priority
/swap.img	file	2097148	0	-2
@@ks-facts cpus
4
@@ks-facts init
systemd
systemd-running
@@ks-facts tools
apt-get
curl
systemctl
@@ks-facts addr4
1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever
3: eth1    inet 192.168.7.5/24 brd 192.168.7.255 scope global eth1\\       valid_lft forever
@@ks-facts addr6
@@ks-facts route4
default via 192.168.7.1 dev eth1 proto static
@@ks-facts route6
@@ks-facts versions
kubeadm v1.31.4
kubelet Kubernetes v1.31.4
containerd containerd github.com/containerd/containerd v1.7.24 88bf19b2105c8b17560993bee28a01ddc2f97182
@@ks-facts kubeadm_node
node
@@ks-facts end
`

describe('facts', () => {
  it('parses the one-exec report into Ansible-style facts', () => {
    const f = parseFacts(SAMPLE)
    expect(f).to.include({
      distribution: 'Ubuntu', distribution_version: '22.04', distribution_major_version: '22', distribution_release: 'jammy',
      os_family: 'Debian', architecture: 'aarch64', host_architecture: 'arm64', hostname: 'cp1', fqdn: 'cp1.example.org',
      service_mgr: 'systemd', pkg_mgr: 'apt', memtotal_mb: 7812, swaptotal_mb: 2047, processor_vcpus: 4, ks_swap_on: true,
      ks_downloader: 'curl', ks_kubeadm_node: 'worker', user_id: 'deploy', user_uid: 1000,
    })
    expect(f.default_ipv4).to.deep.equal({ address: '192.168.7.5', prefix: '24', interface: 'eth1' })
    expect(f.all_ipv4_addresses).to.deep.equal(['10.0.0.5', '192.168.7.5'])
    expect(f.ks_installed).to.deep.equal({ kubeadm: '1.31.4', kubelet: '1.31.4', containerd: '1.7.24' })
    const v = factVars(f)
    expect(v.ansible_distribution).to.equal('Ubuntu')
    expect((v.ansible_facts as Record<string, unknown>).os_family).to.equal('Debian')
    expect(v.host_architecture).to.equal('arm64')
  })

  it('gathers this machine in one exec', async () => {
    const conn = new LocalConnection('local')
    const r = await conn.exec({ script: FACTS_SCRIPT })
    expect(r.code).to.equal(0)
    const f = parseFacts(r.stdout.toString())
    expect(conn.roundTrips).to.equal(1)
    expect(f.system).to.equal('Linux')
    expect(f.processor_vcpus).to.be.greaterThan(0)
    expect(f.memtotal_mb).to.be.greaterThan(0)
    expect(['apt', 'dnf', 'yum', 'unknown']).to.include(f.pkg_mgr)
  })
})
