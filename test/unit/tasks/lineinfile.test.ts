import { expect } from 'chai'
import { parseParams } from '../../../src/engine/params.js'
import { lineinfile } from '../../../src/tasks/lineinfile.js'
import { pythonTemplateToSed, pythonToEre } from '../../../src/tasks/shared/python-regex.js'
import { planContext } from './plan-context.js'
import { shSyntaxError } from './sh-syntax.js'

const where = { file: 'p.yaml', line: 1 }
const parse = (raw: unknown) => parseParams(lineinfile, raw, where, { templated: true })

describe('lineinfile planning', () => {
  it('passes hostile values through quoted environment, never as awk program text', () => {
    const s = lineinfile.plan(parse({ path: "/etc/a b'c", regexp: "^x=\\$\\(", line: "x=$(reboot) `id` 'q'" }), planContext())
    expect(s.script).to.include(`KS_LINE='x=$(reboot) \`id\` '\\''q'\\'''`)
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('is valid sh for every state / insert / backrefs combination', () => {
    const variants = [
      { line: 'a', insertafter: 'EOF' }, { line: 'a', insertbefore: 'BOF' }, { line: 'a', insertafter: '^\\[x\\]' },
      { regexp: '^(a)=', line: '\\1=2', backrefs: true }, { state: 'absent', regexp: '^#' }, { line: 'a', create: true, mode: '0600' },
      { state: 'absent', search_string: 'foo' },
    ]
    for (const v of variants) expect(shSyntaxError(lineinfile.plan(parse({ path: '/etc/f', ...v }), planContext()).script), JSON.stringify(v)).to.equal(undefined)
  })

  it('checks the combinations Ansible refuses', () => {
    expect(() => parse({ path: '/x' })).to.throw(/needs "line"/)
    expect(() => parse({ path: '/x', state: 'absent' })).to.throw(/needs "line", "regexp"/)
    expect(() => parse({ path: '/x', line: 'a', backrefs: true })).to.throw(/backrefs needs "regexp"/)
    expect(() => parse({ path: '/x', line: 'a', insertafter: 'a', insertbefore: 'b' })).to.throw(/exclude each other/)
  })

  it('matches a regex ERE cannot express with grep -P on the host, saying so when the host lacks it', () => {
    const s = lineinfile.plan(parse({ path: '/x', regexp: '^(REF) .* \\1$', line: 'a' }), planContext()).script
    expect(s).to.include(`grep -nP -e '^(REF) .* \\1$'`).and.include('needs grep -P (PCRE) on the host')
    expect(s).to.include('KS_MODE=lines')
    expect(shSyntaxError(s)).to.equal(undefined)
    const b = lineinfile.plan(parse({ path: '/x', regexp: '^(?P<k>a)\\Z', line: '\\g<1>', backrefs: true }), planContext()).script
    expect(b).to.include('need perl on the host').and.include(`'^(?P<k>a)\\z'`)
    expect(shSyntaxError(b)).to.equal(undefined)
  })
})

describe('Python regex to ERE', () => {
  const cases: Array<[string, string]> = [
    ['^\\s*swap\\s', '^[[:space:]]*swap[[:space:]]'],
    ['\\d+\\.\\d+', '[0-9]+\\.[0-9]+'],
    ['[\\w.-]+', '[[:alnum:]_.-]+'],
    ['^(\\S+)\\s+(\\S+)$', '^([^[:space:]]+)[[:space:]]+([^[:space:]]+)$'],
    ['^#?net\\.ipv4\\.ip_forward', '^#?net\\.ipv4\\.ip_forward'],
  ]
  for (const [py, ere] of cases) it(`${py} -> ${ere}`, () => expect(pythonToEre(py)).to.equal(ere))
  it('refuses lookarounds, non-greedy and \\b', () => {
    for (const bad of ['a(?=b)', 'a*?', '\\bword']) expect(() => pythonToEre(bad)).to.throw(/not supported/)
  })
  it('turns \\g<1> and & in a template into sed syntax', () => {
    expect(pythonTemplateToSed('\\g<1> & \\2')).to.equal('\\1 \\& \\2')
  })
})
