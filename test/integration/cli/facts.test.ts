import { expect } from 'chai'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { kubeseed } from '../../harness/cli.js'

describe('kubeseed facts', function () {
  this.timeout(120_000)

  it('prints the facts of the hosts it reached as JSON and names the unreachable ones on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-facts-'))
    // Port 1 on loopback refuses at once: an unreachable host without waiting for a timeout.
    writeFileSync(join(dir, 'hosts.ini'), 'here1 ansible_connection=local\nhere2 ansible_connection=local\ngone ansible_host=127.0.0.1 ansible_port=1 ansible_user=nobody\n')
    const r = kubeseed(['facts', '-i', join(dir, 'hosts.ini')], { env: { XDG_CACHE_HOME: dir } })
    const facts = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>
    expect(Object.keys(facts)).to.have.members(['here1', 'here2'])
    expect(facts.here1).to.have.property('os_family')
    expect(r.stderr).to.match(/^unreachable: \[gone\]: /m)
    expect(r.code).to.equal(3)
  })
})
