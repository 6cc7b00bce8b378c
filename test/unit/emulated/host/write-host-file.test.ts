// The emulated kubeadm writes its keys and kubeconfigs as real kubeadm does: 0600 from the moment the file
// exists. A stale temporary file (a crashed run with the same pid) or a link planted under the temporary name
// must neither loosen the key's mode nor be written through.

import { expect } from 'chai'
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { writeHostFile } from '../../../../src/sandbox/emulated/host/paths.js'
import { useEmulationRoot } from '../../../harness/emulation-root.js'

describe('emulated host files', () => {
  const at = useEmulationRoot('write-host-file', ['etc/kubernetes/pki'])
  const tmpName = () => at(`etc/kubernetes/pki/ca.key.tmp-${process.pid}`)

  it('a key written over a stale world-readable temporary file is 0600', () => {
    writeFileSync(tmpName(), 'old', { mode: 0o644 })
    writeHostFile('/etc/kubernetes/pki/ca.key', 'KEY', 0o600)
    expect(statSync(at('etc/kubernetes/pki/ca.key')).mode & 0o777).to.equal(0o600)
    expect(readFileSync(at('etc/kubernetes/pki/ca.key'), 'utf8')).to.equal('KEY')
  })

  it('a link planted under the temporary name is not followed', () => {
    mkdirSync(at('victim'))
    writeFileSync(at('victim/file'), 'untouched', { mode: 0o644 })
    symlinkSync(at('victim/file'), tmpName())
    writeHostFile('/etc/kubernetes/pki/ca.key', 'KEY', 0o600)
    expect(readFileSync(at('victim/file'), 'utf8')).to.equal('untouched')
    expect(statSync(at('etc/kubernetes/pki/ca.key')).mode & 0o777).to.equal(0o600)
  })
})
