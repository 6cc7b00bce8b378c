import { expect } from 'chai'
import { failureSummary } from '../../../src/engine/step/failure-lines.js'

describe('failure summary of a failed command', () => {
  it('keeps apt’s E: lines that a fixed tail hid behind the retry’s chatter', () => {
    const stderr = [
      'Err:1 http://10.231.0.1:8080/apt ./ socat 1.7.4.4-2',
      '  404  Not Found [IP: 10.231.0.1 8080]',
      'E: Failed to fetch http://10.231.0.1:8080/apt/./socat_1.7.4.4-2_amd64.deb  404  Not Found [IP: 10.231.0.1 8080]',
      'E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?',
      'Hit:1 http://10.231.0.1:8080/apt ./ InRelease',
      'Reading package lists...',
      'Building dependency tree...',
      'Reading state information...',
      'W: Some index files failed to download. They have been ignored, or old ones used instead.',
      'apt-get install failed: socat (from: http://10.231.0.1:8080/apt)',
      '',
    ].join('\n')
    const msg = failureSummary(stderr, '', 100)
    expect(msg).to.include('E: Failed to fetch http://10.231.0.1:8080/apt/./socat_1.7.4.4-2_amd64.deb')
    expect(msg).to.include('E: Unable to fetch some archives')
    expect(msg).to.include('W: Some index files failed to download')
    expect(msg).to.match(/apt-get install failed: socat \(from: http:\/\/10\.231\.0\.1:8080\/apt\)$/)
    expect(msg).not.to.include('Reading package lists')
    expect(msg).not.to.include('Hit:1')
  })

  it('keeps curl’s error with the URL’s failure and the last lines', () => {
    const stderr = "curl: (7) Failed to connect to 10.231.0.1 port 8080 after 0 ms: Couldn't connect to server\ndownload of http://10.231.0.1:8080/files/kubeadm failed\n"
    expect(failureSummary(stderr, '', 1)).to.equal(
      "curl: (7) Failed to connect to 10.231.0.1 port 8080 after 0 ms: Couldn't connect to server | download of http://10.231.0.1:8080/files/kubeadm failed")
  })

  it('falls back to stdout when stderr is silent, and to the exit code when both are', () => {
    expect(failureSummary('', 'step 0\nstep 1\nstep 2\nno such user: x\n', 3)).to.equal('step 1 | step 2 | no such user: x')
    expect(failureSummary('\n', '', 3)).to.equal('exit code 3')
    expect(failureSummary('', '', null)).to.match(/did not finish/)
  })

  it('bounds a flood of error lines and very long lines', () => {
    const flood = Array.from({ length: 50 }, (_, i) => `E: problem ${i}`).join('\n')
    const msg = failureSummary(flood, '', 100)
    expect(msg.split(' | ')).to.have.length(9)
    expect(msg).to.include('E: problem 0').and.include('E: problem 49').and.include('…')
    expect(failureSummary(`E: ${'x'.repeat(1000)}`, '', 1).length).to.be.lessThan(420)
  })
})
