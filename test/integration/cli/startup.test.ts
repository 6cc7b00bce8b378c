// The CLI loads what the command needs and no more: ssh2, handlebars and listr2 (the packages left outside the
// CLI bundle) only when a session, a template or a terminal asks for them. Behaviour, not timing: the
// benchmark times.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { CLI } from '../../harness/cli.js'

const PRELOAD = join(PACKAGE_ROOT, 'test', 'fixtures', 'startup', 'loaded-modules.mjs')

/** Runs the built CLI without a terminal; returns its exit code and the packages it loaded from node_modules. */
function packagesLoadedBy(args: string[]): { code: number; stderr: string; packages: string[] } {
  const log = join(mkdtempSync(join(tmpdir(), 'ks-startup-')), 'modules')
  writeFileSync(log, '')
  const r = spawnSync(process.execPath, ['--import', PRELOAD, CLI, ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KS_LOADED_MODULES: log },
  })
  const packages = readFileSync(log, 'utf8').split('\n').map((m) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(m)?.[1]).filter((p): p is string => !!p)
  return { code: r.status ?? -1, stderr: r.stderr, packages: [...new Set(packages)].sort() }
}

const HEAVY = ['handlebars', 'listr2', 'ssh2']
const heavyIn = (packages: string[]) => packages.filter((p) => HEAVY.includes(p))

describe('CLI start: packages loaded per command', function () {
  this.timeout(60_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-startup-pb-'))
  const inventory = join(dir, 'hosts.ini')
  writeFileSync(inventory, 'local1 ansible_connection=local\n')
  const playbook = (task: string) => {
    const file = join(dir, `site-${Math.random().toString(36).slice(2)}.yaml`)
    writeFileSync(file, `- hosts: all\n  gather_facts: false\n  tasks:\n${task}`)
    return file
  }

  it('--version loads none of them', () => {
    const r = packagesLoadedBy(['--version'])
    expect(r.code, r.stderr).to.equal(0)
    expect(heavyIn(r.packages)).to.deep.equal([])
  })

  it('a local playbook run off a terminal loads none of them', () => {
    const r = packagesLoadedBy(['play', playbook('    - command: echo hi\n      changed_when: false\n'), '-i', inventory])
    expect(r.code, r.stderr).to.equal(0)
    expect(heavyIn(r.packages)).to.deep.equal([])
  })

  it('a template task loads handlebars, and only then', () => {
    writeFileSync(join(dir, 'page.hbs'), 'host {{ inventory_hostname }}\n')
    const dest = join(dir, 'page.out')
    const r = packagesLoadedBy(['play', playbook(`    - template: { src: ${join(dir, 'page.hbs')}, dest: ${dest} }\n`), '-i', inventory])
    expect(r.code, r.stderr).to.equal(0)
    expect(readFileSync(dest, 'utf8')).to.equal('host local1\n')
    expect(heavyIn(r.packages)).to.deep.equal(['handlebars'])
  })
})
