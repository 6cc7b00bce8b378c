import { expect } from 'chai'
import { mkdtempSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { spawnSync } from 'node:child_process'
import { CLI, events, kubeseed, totalChanged } from '../../harness/cli.js'
import { shellJoin } from '../../../src/engine/quote.js'

const FIX = join(PACKAGE_ROOT, 'test', 'fixtures', 'playbooks', 'local')
const INV = join(FIX, 'hosts.ini')
const SITE = join(FIX, 'site.yaml')

describe('kubeseed play on the local connection (sample playbook)', function () {
  this.timeout(120_000)
  const root = mkdtempSync(join(tmpdir(), 'ks-local-'))
  const run = (...extra: string[]) => kubeseed(['play', SITE, '-i', INV, '-e', `dest_root=${root}`, '--output', 'json', ...extra])

  it('converges on the first run and reports 0 changed on the second', () => {
    const first = run()
    expect(first.code, first.stderr).to.equal(0)
    const r1 = events(first)
    expect(r1.recap.ok).to.equal(true)
    expect(Object.keys(r1.recap.hosts)).to.have.members(['local1', 'local2'])
    expect(r1.recap.hosts.local1.changed).to.be.greaterThan(4)
    const conf = readFileSync(join(root, 'one', 'conf', 'service.conf'), 'utf8')
    expect(conf).to.include('listen = 8080').and.include('greeting = hello').and.include('dir = logs')
    expect((statSync(join(root, 'one', 'conf', 'service.conf')).mode & 0o777).toString(8)).to.equal('640')
    expect(readFileSync(join(root, 'two', 'logs', 'restarts.log'), 'utf8')).to.equal('restarted\n')
    const skipped = r1.events.filter((e) => e.type === 'result' && e.task === 'Never on these hosts')
    expect(skipped.map((e) => e.status)).to.deep.equal(['skipped', 'skipped'])

    const second = run()
    expect(second.code, second.stderr).to.equal(0)
    const r2 = events(second)
    expect(totalChanged(r2.recap)).to.equal(0)
    expect(readFileSync(join(root, 'two', 'logs', 'restarts.log'), 'utf8')).to.equal('restarted\n')
    // Batching: facts plus a handful of round trips per host, not one per task.
    expect(r2.recap.hosts.local1.round_trips).to.be.lessThan(6)
  })

  it('--check says what would change and changes nothing; --diff shows the file diff', () => {
    const file = join(root, 'one', 'conf', 'service.conf')
    writeFileSync(file, 'hand edited\n')
    const r = run('--check', '--diff')
    expect(r.code, r.stderr).to.equal(0)
    const { events: ev, recap } = events(r)
    expect(recap.hosts.local1.changed).to.be.greaterThan(0)
    expect(recap.hosts.local2.changed).to.equal(0)
    const change = ev.find((e) => e.type === 'result' && e.host === 'local1' && e.task === 'Render the service config')
    expect(change?.status).to.equal('changed')
    expect(String(change?.diff)).to.include('-hand edited').and.include('+listen = 8080')
    expect(readFileSync(file, 'utf8')).to.equal('hand edited\n')
    expect(existsSync(join(root, 'one', 'logs', 'restarts.log'))).to.equal(true)
    expect(readFileSync(join(root, 'one', 'logs', 'restarts.log'), 'utf8')).to.equal('restarted\n')
  })

  it('prints a plain-text recap, and -v counts round trips', () => {
    const r = kubeseed(['play', SITE, '-i', INV, '-e', `dest_root=${root}`, '-v', '--no-progress'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.match(/PLAY RECAP/)
    expect(r.stdout).to.match(/local1 +: ok=\d+ +changed=2 .*round_trips=\d+/)
    expect(r.stdout).to.match(/RUNNING HANDLER \[restart sample\]/)
    expect(r.stdout).to.match(/TASK \[Render the service config\]/)
  })
})

describe('kubeseed progress on a terminal', function () {
  this.timeout(60_000)

  it('shows listr2 progress per task with each host beneath it, then the recap', () => {
    const root = mkdtempSync(join(tmpdir(), 'ks-tty-'))
    const cmd = shellJoin([process.execPath, CLI, 'play', SITE, '-i', INV, '-e', `dest_root=${root}`])
    // `script` gives the command a pseudo-terminal, as a user's shell would.
    const r = spawnSync('script', ['-qec', `stty cols 120 rows 40; ${cmd}`, '/dev/null'], { encoding: 'utf8', timeout: 60_000 })
    const screen = r.stdout.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '').replace(/\r/g, '\n')
    expect(r.status, screen).to.equal(0)
    expect(screen).to.include('✔ Render the service config  [changed 2]')
    expect(screen).to.match(/local1: (…|changed)/)
    expect(screen).to.include('PLAY RECAP')
    expect(screen).to.match(/local2 +: ok=\d+ +changed=\d+/)
  })
})

describe('kubeseed exit codes and one-line errors', function () {
  this.timeout(60_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-exit-'))

  it('exits 4 with one line naming file:line for a playbook mistake, touching no host', () => {
    writeFileSync(join(dir, 'bad.yaml'), '- hosts: all\n  tasks:\n    - name: typo\n      comand: ls\n')
    const r = kubeseed(['play', join(dir, 'bad.yaml'), '-i', INV])
    expect(r.code).to.equal(4)
    expect(r.stderr.trim().split('\n')).to.have.length(1)
    expect(r.stderr).to.match(/bad\.yaml:4: .*'comand'.*did you mean 'command'/)
    expect(r.stdout).to.not.match(/PLAY/)
  })

  it('warns about a group a play pattern names but the inventory lacks, skips that play and goes on, as Ansible does', () => {
    writeFileSync(join(dir, 'nogroup.yaml'), '- hosts: calico_rr\n  tasks: []\n- hosts: workers:calico_rr\n  gather_facts: false\n  tasks:\n    - debug: { msg: ran }\n')
    const r = kubeseed(['play', join(dir, 'nogroup.yaml'), '-i', INV, '--no-progress'])
    expect(r.code, r.stdout + r.stderr).to.equal(0)
    expect(r.stdout.match(/\[WARNING\]: Could not match supplied host pattern, ignoring: calico_rr/g)).to.have.length(2)
    expect(r.stdout).to.match(/ok: \[local1\]: ran/)
  })

  it('exits 4 for a --limit that names nothing in the inventory', () => {
    const r = kubeseed(['play', SITE, '-i', INV, '--limit', 'kube_contrl_plane'])
    expect(r.code).to.equal(4)
    expect(r.stderr).to.match(/unknown group or host 'kube_contrl_plane'/)
  })

  it('exits 2 when a task fails on a host, naming host and task, and the other host goes on', () => {
    writeFileSync(join(dir, 'fail.yaml'), [
      '- hosts: workers', '  gather_facts: false', '  tasks:',
      '    - name: fail on one', '      command: /bin/false', "      when: inventory_hostname == 'local1'",
      '    - name: after', '      command: /bin/true', '',
    ].join('\n'))
    const r = kubeseed(['play', join(dir, 'fail.yaml'), '-i', INV, '--output', 'json'])
    expect(r.code).to.equal(2)
    const { recap, events: ev } = events(r)
    expect(recap.ok).to.equal(false)
    expect(recap.hosts.local1.failed).to.equal(1)
    expect(recap.failures.local1).to.match(/fail on one/)
    expect(ev.some((e) => e.type === 'result' && e.host === 'local2' && e.task === 'after' && e.status === 'changed')).to.equal(true)
    expect(ev.some((e) => e.type === 'result' && e.host === 'local1' && e.task === 'after')).to.equal(false)
  })

  it('exits 3 when a host cannot be reached', () => {
    writeFileSync(join(dir, 'hosts-down.ini'), 'gone ansible_host=127.0.0.1 ansible_port=1 ansible_user=root\n')
    writeFileSync(join(dir, 'ping.yaml'), '- hosts: all\n  tasks:\n    - command: /bin/true\n')
    const r = kubeseed(['play', join(dir, 'ping.yaml'), '-i', join(dir, 'hosts-down.ini'), '--output', 'json'])
    expect(r.code).to.equal(3)
    expect(events(r).recap.hosts.gone.unreachable).to.equal(true)
  })

  it('exits 4 on bad command-line usage', () => {
    const r = kubeseed(['play'])
    expect(r.code).to.equal(4)
    expect(r.stderr.trim().split('\n')).to.have.length(1)
    expect(r.stderr).to.match(/argument/)
  })
})
