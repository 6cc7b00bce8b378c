import { expect } from 'chai'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parsePasswordTerm, passwordLookup } from '../../../src/engine/vars/password-lookup.js'
import { VarScope } from '../../../src/engine/vars/scope.js'

describe("lookup('password')", () => {
  const dir = mkdtempSync(join(tmpdir(), 'ks-pw-'))

  it('reads chars= as Ansible does: named sets of Python\'s string module, literal text, ",," for a comma', () => {
    expect(parsePasswordTerm('/x length=64 chars=hexdigits')).to.deep.equal({ path: '/x', length: 64, chars: '0123456789abcdefABCDEF' })
    expect(parsePasswordTerm('/x chars=digits,ab,,').chars).to.equal('0123456789ab,')
    expect(() => parsePasswordTerm('/x encrypt=sha512_crypt')).to.throw(/encrypt= is not supported/)
  })

  it('writes a new password (0600, directory 0700) and gives the same one on every later read', () => {
    const file = join(dir, 'credentials', 'key.creds')
    const first = passwordLookup(`${file} length=64 chars=hexdigits`)
    expect(first).to.match(/^[0-9a-fA-F]{64}$/)
    expect(readFileSync(file, 'utf8')).to.equal(`${first}\n`)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    expect(statSync(join(dir, 'credentials')).mode & 0o777).to.equal(0o700)
    expect(passwordLookup(`${file} length=64 chars=hexdigits`)).to.equal(first)
  })

  it('never writes through a link planted at a predictable temporary name, and leaves no temporary file', () => {
    mkdirSync(join(dir, 'planted'), { mode: 0o700 })
    const file = join(dir, 'planted', 'token.creds')
    writeFileSync(join(dir, 'victim'), 'untouched')
    symlinkSync(join(dir, 'victim'), `${file}.${process.pid}.tmp`)
    const password = passwordLookup(`${file} length=16`)
    expect(readFileSync(join(dir, 'victim'), 'utf8')).to.equal('untouched')
    expect(readFileSync(file, 'utf8')).to.equal(`${password}\n`)
    expect(statSync(file).mode & 0o777).to.equal(0o600)
    expect(readdirSync(join(dir, 'planted')).sort()).to.deep.equal(['token.creds', `token.creds.${process.pid}.tmp`])
  })

  it('kubespray\'s kubeadm_certificate_key renders from the stored file', () => {
    writeFileSync(join(dir, 'stored.creds'), 'ABCdef salt=xyz\n')
    const scope = new VarScope([{ source: 'k8s-cluster.yml', vars: {
      credentials_dir: dir,
      kubeadm_certificate_key: "{{ lookup('password', credentials_dir + '/stored.creds length=64 chars=hexdigits') | lower }}",
    } }], { host: 'node1' })
    expect(scope.get('kubeadm_certificate_key')).to.equal('abcdef')
  })
})
