import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isMountPoint, mountOverlay, mountsUnder, unmountAllUnder } from '../../../src/sandbox/mounts.js'
import { requireRoot } from '../../harness/requirements.js'

describe('sandbox mounts', function () {
  let dir: string
  before(() => requireRoot('mount and umount'))
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks mounts ')) })
  afterEach(async () => {
    await unmountAllUnder(dir)
    rmSync(dir, { recursive: true, force: true })
  })

  it('lists nested mounts under a path with spaces deepest first, and unmounts them all', async () => {
    const outer = join(dir, 'a b')
    const inner = join(outer, 'c')
    mkdirSync(outer)
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', outer])
    mkdirSync(inner)
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', inner])
    expect(mountsUnder(dir)).to.deep.equal([inner, outer])
    expect(mountsUnder(join(dir, 'a'))).to.deep.equal([])
    await unmountAllUnder(dir)
    expect(mountsUnder(dir)).to.deep.equal([])
  })

  it('mounts an overlay whose writes land in the upper layer and leave the lower one alone', async () => {
    const lower = join(dir, 'lower')
    mkdirSync(lower)
    writeFileSync(join(lower, 'f'), 'lower\n')
    const layers = { upper: join(dir, 'upper'), work: join(dir, 'work'), root: join(dir, 'root') }
    // Spaces are fine in layer paths; commas and colons are not (overlayfs option syntax).
    await mountOverlay(lower, layers)
    await mountOverlay(lower, layers)
    expect(isMountPoint(layers.root)).to.equal(true)
    expect(mountsUnder(dir)).to.deep.equal([layers.root])
    writeFileSync(join(layers.root, 'f'), 'node\n')
    expect(readFileSync(join(lower, 'f'), 'utf8')).to.equal('lower\n')
    expect(readFileSync(join(layers.upper, 'f'), 'utf8')).to.equal('node\n')
    const refused = await mountOverlay(join(dir, 'x,y'), { ...layers, root: join(dir, 'root2') }).then(() => undefined, (e: Error) => e)
    expect(refused?.message).to.match(/contains "," or ":"/)
  })
})
