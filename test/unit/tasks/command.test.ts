import { expect } from 'chai'
import { parseParams } from '../../../src/engine/params.js'
import { command } from '../../../src/tasks/command.js'
import { shell } from '../../../src/tasks/shell.js'
import { planContext } from './plan-context.js'
import { shSyntaxError } from './sh-syntax.js'

const where = { file: 'p.yaml', line: 1 }
const planCommand = (raw: unknown) => command.plan(parseParams(command, raw, where, { templated: true }), planContext())
const planShell = (raw: unknown) => shell.plan(parseParams(shell, raw, where, { templated: true }), planContext())

describe('command planning', () => {
  it('quotes each shlex word so the shell never interprets the command', () => {
    const s = planCommand(`echo "$HOME" ';' '$(touch /tmp/x)' a|b`)
    expect(s.script).to.include(`echo '$HOME' ';' '$(touch /tmp/x)' 'a|b'`)
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('runs argv words as given', () => {
    const s = planCommand({ argv: ['printf', '%s\n', "it's"] })
    expect(s.script).to.include(`printf '%s\n' 'it'\\''s'`)
  })

  it('guards with creates/removes; in check mode it is changed when it would run (skipped without a guard)', () => {
    const s = planCommand({ cmd: 'kubeadm init', creates: '/etc/kubernetes/admin.conf', removes: '/tmp/x y' })
    expect(s.script).to.include('/etc/kubernetes/admin.conf').and.include(`'/tmp/x y'`)
    expect(s.script).to.match(/if ks_check; then ks_changed/)
    expect(s.script.indexOf('/etc/kubernetes/admin.conf')).to.be.lessThan(s.script.indexOf('ks_check'))
    expect(planCommand({ cmd: 'kubeadm init' }).script).to.match(/if ks_check; then ks_skipped/)
  })

  it('feeds stdin from a payload, with a newline added by default', () => {
    const s = planCommand({ cmd: 'cat', stdin: 'secret' })
    expect(s.payloads).to.deep.equal(['secret\n'])
    expect(s.script).to.include('cat < "$KS_P0"')
    expect(s.script).not.to.include('secret')
  })

  it('refuses both cmd and argv, and neither', () => {
    expect(() => parseParams(command, { cmd: 'a', argv: ['a'] }, where, { templated: true })).to.throw(/exactly one/)
    expect(() => parseParams(command, {}, where, { templated: true })).to.throw(/exactly one/)
  })

  it('refuses unbalanced quotes with the task location', () => {
    expect(() => planCommand(`echo 'oops`)).to.throw(/p\.yaml:1: command: cannot split/)
    expect(() => planCommand({ cmd: `echo 'oops` })).to.throw(/roles\/x\/tasks\/main\.yaml:3.*cannot split/)
  })
})

describe('shell planning', () => {
  it('hands the whole command line to /bin/sh -c, quoted once', () => {
    const s = planShell(`echo a | tr a b > /tmp/o; echo "$(id -u)"`)
    expect(s.script).to.include(`/bin/sh -c 'echo a | tr a b > /tmp/o; echo "$(id -u)"'`)
    expect(shSyntaxError(s.script)).to.equal(undefined)
  })

  it('uses the executable asked for', () => {
    expect(planShell({ cmd: 'echo hi', executable: '/bin/bash' }).script).to.include(`/bin/bash -c 'echo hi'`)
  })

  it('changes directory first when chdir is given, to the physical directory', () => {
    const s = planShell({ cmd: 'ls', chdir: '/var/lib/my dir' })
    expect(s.script).to.include(`cd -P '/var/lib/my dir' ||`)
  })
})
