import { expect } from 'chai'
import { PlaybookError } from '../../../src/engine/errors.js'
import type { PlayDef } from '../../../src/engine/playbook/model.js'
import { renderPlayHosts } from '../../../src/engine/playbook/play-hosts.js'

const play = (hosts: string): PlayDef => ({
  name: 'Remove nodes', where: { file: 'remove-node.yaml', line: 3 }, hosts, gatherFacts: false, serial: [], anyErrorsFatal: false,
  strategy: 'linear', vars: {}, roles: [], items: [], handlers: [], baseDir: '/',
})

function failure(hosts: string, extra: Record<string, unknown>): string {
  try {
    renderPlayHosts(play(hosts), extra)
  } catch (e) {
    expect(e).to.be.instanceOf(PlaybookError)
    return (e as Error).message
  }
  throw new Error('expected an error')
}

describe('play hosts from extra vars (renderPlayHosts)', () => {
  it('leaves a plain pattern alone', () => {
    expect(renderPlayHosts(play('kube_control_plane:etcd'), { node: 'x' })).to.equal('kube_control_plane:etcd')
  })

  it("renders kubespray's remove-node pattern from -e node=, a list giving a list of patterns", () => {
    expect(renderPlayHosts(play('{{ node }}'), { node: 'node3,node4' })).to.equal('node3,node4')
    expect(renderPlayHosts(play('{{ node }}'), { node: ['node3', 'node4'] })).to.equal('node3,node4')
    expect(renderPlayHosts(play("{{ node | default('this_is_unreachable') }}"), {})).to.equal('this_is_unreachable')
  })

  it('names the missing extra var and how to give it, with the play file and line', () => {
    expect(failure('{{ node }}', {})).to.equal(
      `remove-node.yaml:3: play "Remove nodes" picks its hosts with "{{ node }}", and 'node' is not set (give it on the command line: -e node=NAME[,NAME])`)
  })

  it('refuses a pattern that renders empty, which would otherwise mean every host', () => {
    expect(failure('{{ node }}', { node: '' })).to.match(/renders to no host pattern/)
    expect(failure('{{ node }}', { node: [] })).to.match(/renders to no host pattern/)
  })

  it('does not read host or inventory variables, which do not exist yet', () => {
    expect(failure('{{ groups.kube_node }}', {})).to.match(/'groups' is not set/)
  })
})
