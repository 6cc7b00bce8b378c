import { expect } from 'chai'
import { spawn, spawnSync, execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBatch, parseBatch } from '../../../src/engine/step/batch.js'
import type { Step } from '../../../src/engine/step/types.js'
import { LocalConnection } from '../../../src/engine/transport/local.js'
import { quote } from '../../../src/engine/quote.js'

async function runSteps(steps: Step[], check = false, diff = false) {
  const batch = buildBatch(steps, { check, diff })
  const conn = new LocalConnection('local')
  const r = await conn.exec({ script: batch.script })
  return parseBatch(r.stdout.toString(), r.stderr.toString(), batch)
}

describe('step batches', () => {
  it('keeps each step’s output, exit code and changes apart', async () => {
    const out = await runSteps([
      { script: 'printf abc; echo err >&2; ks_changed one thing' },
      { script: 'echo "line1"; echo "line2"' },
      { script: 'printf "%s" "$KS_NONCE" | wc -c >/dev/null; exit 0' },
    ])
    expect(out[0]).to.include({ rc: 0, stdout: 'abc', stderr: 'err\n' })
    expect(out[0].changes).to.deep.equal(['one thing'])
    expect(out[1]).to.include({ rc: 0, stdout: 'line1\nline2\n' })
    expect(out[1].changes).to.deep.equal([])
    expect(out[2].rc).to.equal(0)
  })

  it('stops at the first failing step unless it ignores errors', async () => {
    const out = await runSteps([
      { script: 'exit 3', ignoreErrors: true },
      { script: 'echo boom >&2; exit 5' },
      { script: 'echo never' },
    ])
    expect(out.map((o) => o.rc)).to.deep.equal([3, 5, null])
    expect(out[1].stderr).to.equal('boom\n')
  })

  it('runs every item of a looped task before a failing item ends the batch', async () => {
    const item = (rc: number, last: boolean): Step => ({ script: `exit ${rc}`, loopItem: { last } })
    let out = await runSteps([item(0, false), item(4, false), item(0, true), { script: 'echo never' }])
    expect(out.map((o) => o.rc)).to.deep.equal([0, 4, 0, null])
    // A second loop in the same batch starts clean: its items all passing, the batch goes on.
    out = await runSteps([item(0, true), item(0, false), item(0, true), { script: 'exit 0' }])
    expect(out.map((o) => o.rc)).to.deep.equal([0, 0, 0, 0])
    out = await runSteps([item(2, true), { script: 'exit 0' }])
    expect(out.map((o) => o.rc)).to.deep.equal([2, null])
  })

  it('passes payloads as files without the shell seeing their content', async () => {
    const hostile = "$(touch /tmp/ks-pwned) `id` 'quote' \"dq\"\n\u2603\nKS_DATA_x\n"
    const out = await runSteps([{ script: 'cat "$KS_P0"; cat "$KS_P1"', payloads: [hostile, Buffer.from([0, 1, 2, 255])] }])
    expect(Buffer.from(out[0].stdout, 'latin1').length).to.be.greaterThan(0)
    expect(out[0].stdout.startsWith(hostile)).to.equal(true)
  })

  it('ks_put writes atomically, reports changes, honours check and diff mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-put-'))
    const dest = join(dir, 'f.conf')
    const put = (content: string, mode = '0640'): Step => ({
      script: `ks_put "$KS_P0" ${quote(dest)} ${mode} '' ''`,
      payloads: [content],
    })
    let [o] = await runSteps([put('a=1\n')], true, true)
    expect(o.changes).to.deep.equal([`create ${dest}`])
    expect(() => statSync(dest)).to.throw()
    ;[o] = await runSteps([put('a=1\n')])
    expect(o.rc).to.equal(0)
    expect(readFileSync(dest, 'utf8')).to.equal('a=1\n')
    expect((statSync(dest).mode & 0o777).toString(8)).to.equal('640')
    ;[o] = await runSteps([put('a=1\n')])
    expect(o.changes).to.deep.equal([])
    ;[o] = await runSteps([put('a=2\n', '0600')], false, true)
    expect(o.changes).to.deep.equal([`content of ${dest}`])
    expect(o.diff).to.include('-a=1').and.include('+a=2')
    expect((statSync(dest).mode & 0o777).toString(8)).to.equal('600')
    chmodSync(dest, 0o644)
    ;[o] = await runSteps([put('a=2\n', '0600')])
    expect(o.changes).to.deep.equal([`mode of ${dest}: 644 -> 0600`])
  })

  describe('when the connection goes while the script runs or arrives', () => {
    let dir: string
    beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-batch-cut-')) })
    afterEach(() => rmSync(dir, { recursive: true, force: true }))

    // The shell parses a step's subshell whole before running it: a script the connection cut short stops before it.
    it('never runs part of a step when the script is cut short, wherever the cut falls', () => {
      const log = join(dir, 'log')
      const dest = join(dir, 'f.conf')
      const content = `${'x'.repeat(300)}\n`
      const steps: Step[] = [
        // The redirection first: a cut inside the words would otherwise still write a partial line.
        { script: `>> ${quote(log)} printf '%s\\n' first-step-complete` },
        { script: `ks_put "$KS_P0" ${quote(dest)} 0644 '' ''; >> ${quote(log)} printf '%s\\n' second-step-complete`, payloads: [content] },
      ]
      const { script } = buildBatch(steps, { check: false, diff: false })
      const from = script.indexOf('BEGIN:0') - 40
      let cuts = 0
      for (let at = from; at < script.length; at += 5) {
        rmSync(log, { force: true })
        rmSync(dest, { force: true })
        spawnSync('/bin/sh', ['-s'], { input: script.slice(0, at) })
        cuts++
        const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []
        expect(lines.every((l) => l === 'first-step-complete' || l === 'second-step-complete'), `cut at ${at}: ${lines.join(',')}`).to.equal(true)
        if (existsSync(dest)) expect(readFileSync(dest, 'utf8'), `cut at ${at}`).to.equal(content)
        expect(readdirSync(dir).filter((n) => n !== 'log' && n !== 'f.conf'), `cut at ${at}`).to.deep.equal([])
      }
      expect(cuts).to.be.greaterThan(100)
    })

    for (const [signal, how] of [['SIGTERM', 'a kill'], ['SIGHUP', 'a hangup'], ['SIGPIPE', 'the output pipe closing']] as const) {
      it(`removes its temporary files when ${how} ends it in the middle of a write`, async () => {
        // ks_put reads a FIFO: it blocks mid-write, with its temporary file in the destination directory.
        const fifo = join(dir, 'src.fifo')
        execFileSync('mkfifo', [fifo])
        // A new file (an existing one would be compared with the FIFO first).
        const dest = join(dir, 'f.conf')
        const { script } = buildBatch([{ script: `echo "$KS_T" > ${quote(join(dir, 'kst'))}; ks_put ${quote(fifo)} ${quote(dest)} 0644 '' ''`, payloads: ['x'] }],
          { check: false, diff: false })
        const child = spawn('/bin/sh', ['-s'], { detached: true, stdio: ['pipe', signal === 'SIGPIPE' ? 'ignore' : 'pipe', 'ignore'] })
        child.stdin!.end(script)
        const done = new Promise<void>((res) => child.on('close', () => res()))
        try {
          for (let i = 0; i < 300 && !readdirSync(dir).some((n) => n.startsWith('.f.conf.kubeseed-')); i++) await new Promise((r) => setTimeout(r, 10))
          expect(readdirSync(dir).some((n) => n.startsWith('.f.conf.kubeseed-')), 'the write has begun').to.equal(true)
          process.kill(-child.pid!, signal)
          await done
          const kst = readFileSync(join(dir, 'kst'), 'utf8').trim()
          expect(readdirSync(dir).filter((n) => n.includes('kubeseed'))).to.deep.equal([])
          expect(existsSync(kst), `${kst} removed`).to.equal(false)
          if (existsSync(dest)) expect(readFileSync(dest, 'utf8')).to.equal('new\n')
        } finally {
          try { process.kill(-child.pid!, 'SIGKILL') } catch { /* ended */ }
        }
      })
    }
  })
})
