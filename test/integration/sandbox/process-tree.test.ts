import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { isSameProcess, processStartTime, processTree, stopProcessTree } from '../../../src/sandbox/process-tree.js'

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true } catch { return false }
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}

describe('sandbox process tree', () => {
  it('finds every descendant and kills the ones that ignore SIGTERM after the grace period', async () => {
    // The parent traps SIGTERM; its children would be orphaned if only the parent were signalled.
    const child = spawn('/bin/sh', ['-c', "trap '' TERM; sleep 60 & sleep 60 & wait; wait"], { stdio: 'ignore' })
    const pid = child.pid as number
    await until(() => processTree(pid).length === 3)
    const tree = processTree(pid)
    expect(tree[0]).to.equal(pid)
    expect(tree).to.have.length(3)
    const started = Date.now()
    await stopProcessTree(pid, 300)
    expect(Date.now() - started).to.be.at.least(300)
    for (const p of tree) expect(alive(p) && isSameProcess(p, undefined), `pid ${p} still runs`).to.equal(false)
  })

  it('stops a cooperative process at SIGTERM without waiting for the grace period', async () => {
    const child = spawn('sleep', ['60'], { stdio: 'ignore' })
    const pid = child.pid as number
    await until(() => processStartTime(pid) !== undefined)
    const started = Date.now()
    await stopProcessTree(pid, 10_000)
    expect(Date.now() - started).to.be.below(5_000)
    expect(isSameProcess(pid, undefined)).to.equal(false)
  })

  it('does not mistake a reused pid for the recorded process', () => {
    const start = processStartTime(process.pid) as number
    expect(isSameProcess(process.pid, start)).to.equal(true)
    expect(isSameProcess(process.pid, start + 1)).to.equal(false)
  })
})
