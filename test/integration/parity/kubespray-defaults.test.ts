import { expect } from 'chai'
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { sameTyped, showTyped } from '../../harness/typed-json.js'
import { ansibleAvailable, runAnsible, runKubeseed, type Printed } from '../../harness/var-parity.js'

// kubespray's real kubespray_defaults role (test/fixtures/kubespray-defaults, pinned commit) with kubespray's
// sample inventory: every variable ansible-playbook evaluates must have the same value and type in kubeseed.
const FIX = join(PACKAGE_ROOT, 'test', 'fixtures', 'kubespray-defaults')
const SAMPLE = join(PACKAGE_ROOT, 'test', 'fixtures', 'inventory', 'kubespray-sample')

function yamlKeys(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  // Some sample files hold only comments.
  const data = (text.split('\n').some((l) => /^[^#\s]/.test(l)) ? load(text) : null) as Record<string, unknown> | null
  return Object.keys(data ?? {})
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name)).map((d) => join(d.parentPath, d.name)).sort()
}

describe('kubespray_defaults over kubespray\'s sample inventory, against ansible-playbook', function () {
  this.timeout(180_000)
  const dir = mkdtempSync(join(tmpdir(), 'ks-parity-'))
  let ansible: Printed
  let names: string[]

  before(function () {
    if (!ansibleAvailable()) throw new Error('ansible-playbook is missing: run bash .ci/install-packages')
    cpSync(SAMPLE, join(dir, 'inv'), { recursive: true })
    cpSync(join(FIX, 'roles'), join(dir, 'roles'), { recursive: true })
    for (const f of ['play.yml', 'facts.yml']) cpSync(join(FIX, f), join(dir, f))
    // The hosts run on the local connection. main_ip/main_access_ip are facts kubespray sets in its
    // network_facts role, which hostvars shows; k8s_cluster is the group kubespray's playbooks make.
    const ini = readFileSync(join(dir, 'inv', 'inventory.ini'), 'utf8')
      .replace(/^(node\d \S+ ip=(\S+))/gm, '$1 main_ip=$2 main_access_ip=$2 ansible_connection=local')
    writeFileSync(join(dir, 'inv', 'inventory.ini'), `${ini}\n[k8s_cluster:children]\nkube_control_plane\nkube_node\n`)
    names = [...new Set([...filesUnder(join(dir, 'roles')), ...filesUnder(join(dir, 'inv', 'group_vars'))].flatMap(yamlKeys))]
    writeFileSync(join(dir, 'names.json'), JSON.stringify({ parity_names: names }))
    ansible = runAnsible(dir, ['-i', 'inv/inventory.ini', 'play.yml', '-e', '@names.json'])
  })

  it('every variable Ansible evaluates has the same value and type in kubeseed', () => {
    const theirs = ansible.get('node1')!
    expect(theirs.size, 'ansible printed every name').to.equal(names.length)
    const evaluated = [...theirs].filter(([, v]) => v !== 'undefined').map(([n]) => n)
    expect(evaluated.length).to.be.greaterThan(400)
    writeFileSync(join(dir, 'evaluated.json'), JSON.stringify({ parity_names: evaluated }))
    const r = runKubeseed(['play', join(dir, 'play.yml'), '-i', join(dir, 'inv', 'inventory.ini'), '-e', `@${join(dir, 'evaluated.json')}`])
    const ours = r.printed.get('node1') ?? new Map()
    const diffs: string[] = [...r.failures]
    for (const name of evaluated) {
      const want = theirs.get(name)!
      const got = ours.get(name)
      if (want === 'undefined') continue
      if (got === undefined) { if (!r.failures.length) diffs.push(`${name}: not printed by kubeseed`); continue }
      if (got === 'undefined' || !sameTyped(want, got)) diffs.push(`${name}: ansible ${showTyped(want)}, kubeseed ${got === 'undefined' ? 'undefined' : showTyped(got)}`)
    }
    const same = evaluated.length - diffs.length
    console.log(`      kubespray_defaults parity: ${same}/${evaluated.length} variables Ansible evaluates have the same value and type`)
    expect(diffs.map((d) => d.slice(0, 400)), `${diffs.length} of ${evaluated.length} differ`).to.deep.equal([])
  })
})
