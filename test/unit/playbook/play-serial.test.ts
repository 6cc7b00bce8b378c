import { expect } from 'chai'
import { PlaybookError } from '../../../src/engine/errors.js'
import type { PlayDef } from '../../../src/engine/playbook/model.js'
import { renderPlaySerial } from '../../../src/engine/playbook/play-serial.js'
import { serialBatches } from '../../../src/engine/run/serial.js'

const play = (serial: Array<number | string>): PlayDef => ({
  name: 'Upgrade the workers', where: { file: 'upgrade.yaml', line: 66 }, hosts: 'kube_node', gatherFacts: false, serial, anyErrorsFatal: true,
  strategy: 'linear', vars: {}, roles: [], items: [], handlers: [], baseDir: '/',
})
const KUBESPRAY = "{{ serial | default('20%') }}"

describe('play serial from extra vars (renderPlaySerial)', () => {
  it("renders kubespray's serial: 20% unless -e serial says otherwise; a number stays a number", () => {
    expect(renderPlaySerial(play([KUBESPRAY]), {})).to.deep.equal(['20%'])
    expect(renderPlaySerial(play([KUBESPRAY]), { serial: 1 })).to.deep.equal([1])
    expect(renderPlaySerial(play([KUBESPRAY]), { serial: '2' })).to.deep.equal([2])
    expect(renderPlaySerial(play([KUBESPRAY]), { serial: '50%' })).to.deep.equal(['50%'])
    expect(renderPlaySerial(play([1, '30%']), { serial: 'x' })).to.deep.equal([1, '30%'])
  })

  it('20% of 2 workers is batches of one, as Ansible makes them', () => {
    expect(serialBatches(['node2', 'node3'], renderPlaySerial(play([KUBESPRAY]), {}))).to.deep.equal([['node2'], ['node3']])
    expect(serialBatches(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], renderPlaySerial(play([KUBESPRAY]), {}))).to.have.length(5)
  })

  it('refuses what is no batch size, naming the play and the value', () => {
    for (const bad of ['abc', '-1', 0, '']) {
      let err: unknown
      try { renderPlaySerial(play([KUBESPRAY]), { serial: bad }) } catch (e) { err = e }
      expect(err, String(bad)).to.be.instanceOf(PlaybookError)
      expect((err as Error).message).to.match(/upgrade\.yaml:66: play "Upgrade the workers": serial .* gives .*, not a batch size/)
    }
  })
})
