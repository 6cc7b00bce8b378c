import { expect } from 'chai'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { raiseInotifyLimits } from '../../../src/sandbox/inotify-limits.js'

describe('sandbox inotify limits', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ks-sysctl-'))
    mkdirSync(join(dir, 'fs/inotify'), { recursive: true })
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('raises a limit below what the nodes need and says so; leaves a higher one alone', () => {
    writeFileSync(join(dir, 'fs/inotify/max_user_instances'), '128\n')
    writeFileSync(join(dir, 'fs/inotify/max_user_watches'), '1048576\n')
    const lines: string[] = []
    raiseInotifyLimits((l) => lines.push(l), dir)
    expect(readFileSync(join(dir, 'fs/inotify/max_user_instances'), 'utf8')).to.equal('1024\n')
    expect(readFileSync(join(dir, 'fs/inotify/max_user_watches'), 'utf8')).to.equal('1048576\n')
    expect(lines).to.deep.equal(['raised fs.inotify.max_user_instances from 128 to 1024 (each node\'s systemd needs its own)'])
  })
})
