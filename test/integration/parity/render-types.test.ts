import { expect } from 'chai'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { showTyped, sameTyped } from '../../harness/typed-json.js'
import { ansibleAvailable, runAnsible, runKubeseed, type Printed } from '../../harness/var-parity.js'

// The types of rendered values (jinja2_native off), None, lookup('env') and inventory scalars: each case
// of test/fixtures/parity/render-types/play.yml printed by ansible-playbook and by kubeseed.
const DIR = join(PACKAGE_ROOT, 'test', 'fixtures', 'parity', 'render-types')

describe('rendered values and their types, against ansible-playbook', function () {
  this.timeout(120_000)
  let ansible: Printed
  let ours: Printed

  before(function () {
    if (!ansibleAvailable()) throw new Error('ansible-playbook is missing: run bash .ci/install-packages')
    process.env.KS_PARITY_ENV = 'from-env'
    ansible = runAnsible(DIR, ['-i', 'hosts.ini', 'play.yml'])
    const r = runKubeseed(['play', join(DIR, 'play.yml'), '-i', join(DIR, 'hosts.ini')])
    expect(r.failures, r.failures.join('\n')).to.deep.equal([])
    ours = r.printed
  })

  it('every case prints the same value with the same type', () => {
    const theirs = ansible.get('h1')!
    expect(theirs.size).to.be.greaterThan(50)
    const diffs: string[] = []
    for (const [name, want] of theirs) {
      const got = ours.get('h1')?.get(name)
      const show = (x: typeof got) => (x === undefined ? '(nothing)' : x === 'undefined' ? 'undefined' : showTyped(x))
      const same = want === 'undefined' || got === 'undefined' || got === undefined ? want === got : sameTyped(want, got)
      if (!same) diffs.push(`${name}: ansible ${show(want)}, kubeseed ${show(got)}`)
    }
    expect(diffs, `${diffs.length} of ${theirs.size} differ`).to.deep.equal([])
  })
})
