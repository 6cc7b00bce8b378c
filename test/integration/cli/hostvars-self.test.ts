import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { events, kubeseed } from '../../harness/cli.js'

// kubespray's etcd_member_name / etcd_peer_addresses: role defaults that read the same name through
// hostvars for every etcd host, the current one included. hostvars holds no role defaults (as in
// Ansible), so the inventory's value or default() answers, never a cycle.
describe('a role default reading itself through hostvars', function () {
  this.timeout(60_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-hostvars-'))
  mkdirSync(join(dir, 'roles', 'defs', 'defaults'), { recursive: true })
  writeFileSync(join(dir, 'hosts.ini'), '[etcd]\nlocal1 ansible_connection=local etcd_member_name=first\nlocal2 ansible_connection=local\n')
  writeFileSync(join(dir, 'roles', 'defs', 'defaults', 'main.yml'), [
    'etcd_member_name: |-',
    "  {% for host in groups['etcd'] %}",
    '  {% if inventory_hostname == host %}{{ hostvars[host].etcd_member_name | default("etcd" + loop.index | string) }}{% endif %}',
    '  {% endfor %}',
    'etcd_peer_addresses: |-',
    "  {% for item in groups['etcd'] -%}",
    '    {{ hostvars[item].etcd_member_name | default("etcd" + loop.index | string) }}=https://{{ hostvars[item].ansible_connection }}:2380{% if not loop.last %},{% endif %}',
    '  {%- endfor %}',
    'role_only: from the role',
    '',
  ].join('\n'))
  writeFileSync(join(dir, 'play.yaml'), [
    '- hosts: etcd',
    '  gather_facts: false',
    '  roles: [defs]',
    '  tasks:',
    '    - name: Names',
    '      debug: { msg: "{{ etcd_member_name }}|{{ etcd_peer_addresses }}|{{ hostvars[inventory_hostname].role_only | default(\'absent\') }}" }',
    '',
  ].join('\n'))

  it('uses the inventory value or default(), with no cycle error', () => {
    const r = kubeseed(['play', join(dir, 'play.yaml'), '-i', join(dir, 'hosts.ini'), '--output', 'json'])
    expect(r.code, r.stdout + r.stderr).to.equal(0)
    const msgs = Object.fromEntries(events(r).events.filter((e) => e.type === 'result' && e.task === 'Names').map((e) => [e.host, e.msg]))
    const peers = 'first=https://local:2380,etcd2=https://local:2380'
    expect(msgs).to.deep.equal({ local1: `first|${peers}|absent`, local2: `etcd2|${peers}|absent` })
  })
})
