import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { events, kubeseed } from '../../harness/cli.js'

// The cluster playbook's first play, reduced to what picks the offline artifacts: kubespray_defaults and
// the download role's defaults, read by a debug task on the local connection.
describe('-e reaches the offline artifact selection', function () {
  this.timeout(60_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-extra-'))
  mkdirSync(join(dir, 'inv', 'group_vars', 'all'), { recursive: true })
  writeFileSync(join(dir, 'inv', 'hosts.ini'), '[kube_control_plane]\nlocal1 ansible_connection=local\n[etcd]\nlocal1\n[kube_node]\nlocal1\n')
  writeFileSync(join(dir, 'inv', 'group_vars', 'all', 'all.yml'), 'kube_version: 1.31.14\n')
  const playbook = join(dir, 'play.yaml')
  writeFileSync(playbook, [
    '- hosts: k8s_cluster:etcd',
    '  gather_facts: false',
    '  roles: [kubespray_defaults]',
    '  tasks:',
    '    - name: Selected release',
    '      debug: { msg: "{{ kubeseed_artifacts.kube_version }} {{ kubeadm_download_url }}" }',
    '',
  ].join('\n'))
  const msgOf = (args: string[]) => {
    const r = kubeseed(['play', playbook, '-i', join(dir, 'inv', 'hosts.ini'), '--output', 'json', ...args])
    expect(r.code, r.stderr + r.stdout).to.equal(0)
    const result = events(r).events.find((e) => e.type === 'result' && e.task === 'Selected release')
    return String(result?.msg)
  }

  it('without -e, the inventory\'s kube_version picks the artifacts', () => {
    expect(msgOf([])).to.match(/^1\.31\.14 \S+\/v1\.31\.14\/bin\/linux\/amd64\/kubeadm$/)
  })

  it('-e kube_version wins over the inventory for the artifacts and every URL', () => {
    expect(msgOf(['-e', 'kube_version=1.32.13'])).to.match(/^1\.32\.13 \S+\/v1\.32\.13\/bin\/linux\/amd64\/kubeadm$/)
  })
})
