import { expect } from 'chai'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureInotifyInstances, raisedInotifyLimit } from '../../../src/sandbox/inotify-limit.js'

describe('sandbox: the inotify instance limit the nodes share', () => {
  it('raises a limit below what sandboxes need, never lowers one', () => {
    expect(raisedInotifyLimit(128)).to.equal(1024)
    expect(raisedInotifyLimit(1024)).to.equal(undefined)
    expect(raisedInotifyLimit(65536)).to.equal(undefined)
    expect(raisedInotifyLimit(Number.NaN)).to.equal(1024)
  })

  it('writes the file only when it raises the limit, and says so', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ks-inotify-')), 'max_user_instances')
    const said: string[] = []
    writeFileSync(file, '128\n')
    ensureInotifyInstances((l) => said.push(l), file)
    expect(readFileSync(file, 'utf8')).to.equal('1024\n')
    expect(said).to.deep.equal(['raised fs.inotify.max_user_instances from 128 to 1024: every sandbox node\'s systemd and containerd share it'])
    writeFileSync(file, '4096\n')
    ensureInotifyInstances((l) => said.push(l), file)
    expect(readFileSync(file, 'utf8')).to.equal('4096\n')
    expect(said).to.have.length(1)
  })
})
