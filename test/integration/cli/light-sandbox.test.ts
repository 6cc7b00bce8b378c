import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CLI, events, kubeseed, totalChanged } from '../../harness/cli.js'

describe('kubeseed sandbox up --light', function () {
  this.timeout(180_000)

  it('keeps sshd-only hosts up until interrupted, a playbook converges on them, and nothing is left after', async () => {
    const child = spawn(process.execPath, [CLI, 'sandbox', 'up', '--light', '--nodes', '3', '--name', 'lt'], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => { out += d.toString() })
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      for (let i = 0; i < 600 && !out.includes('running; stop with Ctrl-C'); i++) await new Promise((r) => setTimeout(r, 100))
      const inventory = out.match(/^inventory: (.+)$/m)?.[1]
      expect(inventory, out).to.be.a('string')
      const dir = mkdtempSync(join(tmpdir(), 'ks-light-'))
      writeFileSync(join(dir, 'pb.yaml'), '- hosts: all\n  tasks:\n    - copy: {dest: /etc/light-test, content: "{{ inventory_hostname }}\\n"}\n')
      const first = kubeseed(['play', join(dir, 'pb.yaml'), '-i', inventory!, '--output', 'json'])
      expect(first.code, first.stderr).to.equal(0)
      expect(totalChanged(events(first).recap)).to.equal(3)
      const second = kubeseed(['play', join(dir, 'pb.yaml'), '-i', inventory!, '--output', 'json'])
      expect(totalChanged(events(second).recap)).to.equal(0)
      child.kill('SIGTERM')
      expect(await exited).to.equal(0)
      expect(out).to.include('stopped')
      expect(existsSync(inventory!)).to.equal(false)
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  })
})
