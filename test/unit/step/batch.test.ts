import { expect } from 'chai'
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
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
})
