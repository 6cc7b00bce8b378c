import { expect } from 'chai'
import { parseParams } from '../../../src/engine/params.js'
import { copy } from '../../../src/tasks/copy.js'
import { template } from '../../../src/tasks/template.js'
import { planContext } from './plan-context.js'
import { shSyntaxError } from './sh-syntax.js'

const where = { file: 'p.yaml', line: 1 }

describe('copy planning', () => {
  it('sends inline content as a payload and installs it with ks_put', () => {
    const p = parseParams(copy, { content: "x='$(id)'\n", dest: "/etc/it's.conf", mode: 0o600, owner: 'root' }, where, { templated: true })
    const s = copy.plan(p, planContext())
    expect(s.payloads?.map(String)).to.deep.equal(["x='$(id)'\n"])
    expect(s.script).to.include(`ks_put "$KS_P0" '/etc/it'\\''s.conf' 0600 root ''`)
    expect(s.script).not.to.include('$(id)')
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('reads src from the controller and puts it inside dest when dest is a directory', () => {
    const p = parseParams(copy, { src: 'files/ca.pem', dest: '/etc/ssl/' }, where, { templated: true })
    const s = copy.plan(p, planContext({ files: { 'files/ca.pem': 'PEM' } }))
    expect(String(s.payloads?.[0])).to.equal('PEM')
    expect(s.script).to.include('_kdst=/etc/ssl/').and.include('if [ -d "$_kdst" ]; then _kdst="${_kdst%/}"/ca.pem; fi')
    expect(s.script).to.include('ks_put "$KS_P0" "$_kdst"')
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('copies a controller directory as itself, or its content with a trailing slash', () => {
    const files = { 'files/d/a': 'A', 'files/d/s/b': 'B' }
    const as = copy.plan(parseParams(copy, { src: 'files/d', dest: '/opt' }, where, { templated: true }), planContext({ files }))
    expect(as.script).to.include('ks_put "$KS_P0" /opt/d/a').and.include('ks_put "$KS_P1" /opt/d/s/b').and.include('mkdir -p /opt/d/s')
    const inside = copy.plan(parseParams(copy, { src: 'files/d/', dest: '/opt' }, where, { templated: true }), planContext({ files }))
    expect(inside.script).to.include('ks_put "$KS_P0" /opt/a').and.include('ks_put "$KS_P1" /opt/s/b')
    expect(inside.payloads?.map(String)).to.deep.equal(['A', 'B'])
    expect(shSyntaxError(inside.script)).to.equal(undefined)
  })

  it('copies on the host with remote_src and leaves an existing dest alone with force: no', () => {
    const p = parseParams(copy, { src: '/etc/a', dest: '/etc/b', remote_src: true, force: false }, where, { templated: true })
    const s = copy.plan(p, planContext())
    expect(s.payloads).to.deep.equal([])
    expect(s.script).to.include('if [ -e "$_kdst" ]; then :; else ks_put /etc/a "$_kdst"')
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('switches diff off for its subshell when the context says no diff (no_log)', () => {
    const p = parseParams(copy, { content: 'token', dest: '/x' }, where, { templated: true })
    expect(copy.plan(p, planContext({ diff: false })).script.startsWith('KS_DIFF=0')).to.equal(true)
    expect(copy.plan(p, planContext({ diff: true })).script).not.to.include('KS_DIFF=0')
  })

  it('runs validate on the new content with %s replaced', () => {
    const p = parseParams(copy, { content: 'x', dest: '/etc/sudoers.d/k', validate: 'visudo -cf %s' }, where, { templated: true })
    expect(copy.plan(p, planContext()).script).to.include('visudo -cf "$KS_P0"')
    const bad = parseParams(copy, { content: 'x', dest: '/x', validate: 'true' }, where, { templated: true })
    expect(() => copy.plan(bad, planContext())).to.throw(/no %s/)
  })
})

describe('template planning', () => {
  it('renders through the context and installs the result', () => {
    const p = parseParams(template, { src: 'kubelet/env.hbs', dest: '/etc/default/kubelet', mode: '0644' }, where, { templated: true })
    const s = template.plan(p, planContext({ templates: { 'kubelet/env.hbs': 'KUBELET_ARGS=--v=2\n' } }))
    expect(s.payloads).to.deep.equal(['KUBELET_ARGS=--v=2\n'])
    expect(s.script).to.include('ks_put "$KS_P0" /etc/default/kubelet 0644')
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })
})
