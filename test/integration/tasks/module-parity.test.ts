// The task library against real ansible-playbook (Debian's ansible-core) on Ansible's own module test
// cases: each case runs twice through each tool, local connection, each tool in its own temporary
// directory; the task's changed/failed/skipped and the files it leaves must be the same after each run.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { runParity, type Outcome, type ParityRun } from '../../harness/module-parity.js'
import { CASES } from './module-parity-cases.js'

function differences(a: Outcome, k: Outcome): string[] {
  const out: string[] = []
  for (const n of [0, 1]) {
    const run = n === 0 ? 'first run' : 'rerun'
    if (a[n].status !== k[n].status) out.push(`${run}: ansible ${a[n].status}, kubeseed ${k[n].status}`)
    const paths = new Set([...Object.keys(a[n].files), ...Object.keys(k[n].files)])
    for (const p of [...paths].sort()) {
      const x = JSON.stringify(a[n].files[p] ?? null)
      const y = JSON.stringify(k[n].files[p] ?? null)
      if (x !== y) out.push(`${run}: ${p}: ansible ${x}, kubeseed ${y}`)
    }
    if (JSON.stringify(a[n].stat) !== JSON.stringify(k[n].stat)) out.push(`${run}: stat: ansible ${JSON.stringify(a[n].stat)}, kubeseed ${JSON.stringify(k[n].stat)}`)
  }
  return out
}

describe('task library against ansible-playbook on Ansible\'s module test cases', function () {
  this.timeout(1_800_000)
  let result: ParityRun

  before(async function () {
    const probe = spawnSync('ansible-playbook', ['--version'])
    if (probe.status !== 0) throw new Error('ansible-playbook is missing: run `bash .ci/install-packages` (Debian package ansible-core)')
    result = await runParity(CASES)
  })

  after(function () {
    if (!result) return
    const agree = CASES.filter((c) => differences(result.ansible.get(c.id)!, result.kubeseed.get(c.id)!).length === 0).length
    console.log(`      module parity: ${agree}/${CASES.length} cases agree with ansible-playbook`)
    if (!process.env.KS_KEEP_PARITY) for (const r of Object.values(result.roots)) rmSync(r, { recursive: true, force: true })
  })

  for (const c of CASES) {
    it(`${c.id} (${c.from})`, function () {
      const diffs = differences(result.ansible.get(c.id)!, result.kubeseed.get(c.id)!)
      if (c.differs) expect(diffs, `expected to differ: ${c.differs}`).to.not.deep.equal([])
      else expect(diffs).to.deep.equal([])
    })
  }
})
