import { expect } from 'chai'
import type { HostRecap, RunEvent } from '../../../src/engine/report/events.js'
import { JsonReporter } from '../../../src/engine/report/json.js'
import { ProgressReporter } from '../../../src/engine/report/progress.js'
import { recapLines, timingLine, touchedLine } from '../../../src/engine/report/recap.js'
import { makeReporter, pickReporter } from '../../../src/engine/report/reporter.js'
import { TextReporter } from '../../../src/engine/report/text.js'

const recap = (over: Partial<HostRecap> = {}): HostRecap =>
  ({ ok: 3, changed: 1, failed: 0, skipped: 2, unreachable: false, rescued: 0, ignored: 0, roundTrips: 4, hostWaitMs: 1250, controllerMs: 40, ...over })

const RUN: RunEvent[] = [
  { type: 'play', name: 'site', hosts: ['node1', 'n2'], file: '/p/site.yaml' },
  { type: 'task', name: 'write config', task: 1, file: '/p/site.yaml', line: 7, hosts: ['node1', 'n2'] },
  { type: 'batch', host: 'node1', steps: 3, roundTrip: 2, ms: 41 },
  { type: 'result', task: 'write config', taskId: 1, host: 'node1', status: 'changed', msg: 'wrote /etc/x', diff: '--- before\n+++ after', urls: ['http://m/f'] },
  { type: 'result', task: 'write config', taskId: 1, host: 'n2', status: 'ok', item: 'a', delegatedTo: 'node1', stdout: 'line' },
  { type: 'result', task: 'write config', taskId: 1, host: 'n2', status: 'failed', msg: 'exit 1', ignored: true },
  { type: 'result', task: 'connect', taskId: 0, host: 'n3', status: 'unreachable', msg: 'timed out' },
  { type: 'warning', message: 'kube_version is old' },
  { type: 'handler', name: 'restart kubelet', hosts: ['node1'] },
  { type: 'recap', ok: false, hosts: { node1: recap(), n2: recap({ failed: 1 }) }, failures: { n2: 'task "x": exit 1' }, held: {}, seconds: 2.04,
    timing: { firstHandshakeMs: 61, controllerCpuMs: 410 }, touched: ['node1'], inventoryHosts: 3 },
]

/** How RUN's recap reads as text. */
const RECAP_TEXT = [
  '\nPLAY RECAP',
  ...recapLines({ node1: recap(), n2: recap({ failed: 1 }) }, false),
  'failed: n2: task "x": exit 1',
  'touched: node1 (1 of 3 hosts)',
  'FAILED in 2.0 s',
]

function textOf(verbose: number, diff: boolean): string[] {
  const lines: string[] = []
  const r = new TextReporter((l) => lines.push(l), verbose, diff)
  for (const e of RUN) r.emit(e)
  return lines
}

describe('report: reporters', () => {
  it('recap lines align host names and count like Ansible, round trips only when verbose', () => {
    expect(recapLines({ node1: recap(), n2: recap({ unreachable: true }) }, false)).to.deep.equal([
      'node1 : ok=3  changed=1  unreachable=0  failed=0  skipped=2  rescued=0  ignored=0',
      'n2    : ok=3  changed=1  unreachable=1  failed=0  skipped=2  rescued=0  ignored=0',
    ])
    expect(recapLines({ h: recap() }, true)[0]).to.match(/ignored=0  round_trips=4  host_wait=1\.25s  controller=0\.04s$/)
  })

  it('text: one line per result, failures and unreachable hosts named, the recap with each failure', () => {
    expect(textOf(0, false)).to.deep.equal([
      '\nPLAY [site] (2 hosts)',
      '\nTASK [write config]',
      'changed: [node1]: wrote /etc/x',
      'ok: [n2 -> node1] => (item=a)',
      'failed (ignored): [n2]: exit 1',
      'unreachable: [n3]: timed out',
      '[WARNING]: kube_version is old',
      '\nRUNNING HANDLER [restart kubelet]',
      ...RECAP_TEXT,
    ])
  })

  it('touched line: the hosts a run did anything on beyond facts, out of all', () => {
    expect(touchedLine(['node1', 'node4'], 5)).to.equal('touched: node1, node4 (2 of 5 hosts)')
    expect(touchedLine([], 1)).to.equal('touched: no host (0 of 1 host)')
  })

  it('text: -v adds task places, urls and round trips; -vv command output; --diff the diff', () => {
    const lines = textOf(2, true)
    expect(lines).to.include('\nTASK [write config] /p/site.yaml:7')
    expect(lines).to.include('  <node1> round trip 2: 3 steps in 41 ms')
    expect(lines.at(-1)).to.equal('timing: first SSH handshake 61 ms after process start; controller CPU 0.41s')
    expect(timingLine({ controllerCpuMs: 5 })).to.equal('timing: no SSH session; controller CPU 0.01s')
    expect(lines).to.include('  url: http://m/f')
    expect(lines).to.include('  | line')
    expect(lines).to.include('--- before\n+++ after')
  })

  it('json: one event per line, the recap last with snake_case counts', () => {
    const lines: string[] = []
    const r = new JsonReporter((l) => lines.push(l))
    for (const e of RUN) r.emit(e)
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(events.map((e) => e.type)).to.deep.equal(RUN.map((e) => e.type))
    expect(events[3]).to.deep.equal(RUN[3])
    expect(events.at(-1)).to.deep.equal({
      type: 'recap', ok: false, failures: { n2: 'task "x": exit 1' }, held: {}, seconds: 2.04,
      hosts: {
        node1: { ok: 3, changed: 1, failed: 0, skipped: 2, unreachable: false, rescued: 0, ignored: 0, round_trips: 4, host_wait_ms: 1250, controller_ms: 40 },
        n2: { ok: 3, changed: 1, failed: 1, skipped: 2, unreachable: false, rescued: 0, ignored: 0, round_trips: 4, host_wait_ms: 1250, controller_ms: 40 },
      },
      timing: { first_handshake_ms: 61, controller_cpu_ms: 410 },
      touched: ['node1'],
      inventory_hosts: 3,
    })
  })

  it('text and json: hosts left held are named last, one line per reason; an interrupted run says so', () => {
    const held = { node2: 'cordoned by the upgrade to 1.32.13', node3: 'cordoned by the upgrade to 1.32.13', node4: 'other' }
    const stop: RunEvent = { type: 'recap', ok: false, interrupted: true, hosts: { node2: recap() }, failures: {}, held, seconds: 1, timing: { controllerCpuMs: 1 }, touched: [], inventoryHosts: 4 }
    const lines: string[] = []
    new TextReporter((l) => lines.push(l), 0, false).emit(stop)
    expect(lines.slice(-4)).to.deep.equal([
      'interrupted: stopped on Ctrl-C after the tasks that were running', 'INTERRUPTED in 1.0 s',
      'held: node2, node3: cordoned by the upgrade to 1.32.13', 'held: node4: other',
    ])
    const json: string[] = []
    new JsonReporter((l) => json.push(l)).emit(stop)
    expect(JSON.parse(json[0]!)).to.include({ interrupted: true }).and.to.have.deep.property('held', held)
  })

  it('progress: failures, warnings, diffs and the recap stay on screen as plain lines, in order', async () => {
    const lines: string[] = []
    const r = new ProgressReporter((l) => lines.push(l), 0, true)
    for (const e of RUN) r.emit(e)
    await r.close()
    expect(lines).to.deep.equal([
      '\nPLAY [site] (2 hosts)',
      'changed: [node1]: wrote /etc/x',
      '--- before\n+++ after',
      'failed (ignored): [n2]: exit 1',
      'unreachable: [n3]: timed out',
      '[WARNING]: kube_version is old',
      ...RECAP_TEXT,
    ])
  })

  it('pickReporter: json for --output json, plain lines off a terminal, progress on one', async () => {
    const write = () => undefined
    expect(await pickReporter({ output: 'json', verbose: 0, diff: false, progress: true, isTTY: true }, write)).to.be.instanceOf(JsonReporter)
    expect(await pickReporter({ output: 'text', verbose: 0, diff: false, progress: true, isTTY: false }, write)).to.be.instanceOf(TextReporter)
    expect(await pickReporter({ output: 'text', verbose: 0, diff: false, progress: false, isTTY: true }, write)).to.be.instanceOf(TextReporter)
    // progress.js is imported lazily; under the test loader that may be a second copy of the class, so compare by name.
    expect((await pickReporter({ output: 'text', verbose: 0, diff: false, progress: true, isTTY: true }, write)).constructor.name).to.equal(ProgressReporter.name)
  })

  it('makeReporter redacts the password of every URL in every event, whatever the reporter', async () => {
    for (const output of ['json', 'text'] as const) {
      const lines: string[] = []
      const sink = await makeReporter({ output, verbose: 2, diff: true, progress: false, write: (l) => { lines.push(l) }, isTTY: false })
      sink.emit({ type: 'result', task: 't', taskId: 1, host: 'n1', status: 'failed', msg: 'curl: (22) https://u:hunter2@mirror/x 401', stderr: 'GET https://u:hunter2@mirror/x' })
      const text = lines.join('\n')
      expect(text).to.include('https://u:***@mirror/x')
      expect(text).not.to.include('hunter2')
    }
  })
})
