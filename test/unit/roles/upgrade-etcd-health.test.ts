// The upgrade's etcd refusal shows the line of etcdctl's answer that says what is wrong, not the gRPC
// client's JSON retry warnings that come before it.

import { expect } from 'chai'
import { hostScope } from './role-scope.js'

const refusal = (health: { stdout: string; stderr: string; rc: number }) =>
  hostScope('node1', ['upgrade/pre-checks'], { upgrade_etcd_health: health }).get('upgrade_etcd_refusal')

// What etcdctl 3.4 printed in the day-2 e2e with one member of three stopped.
const RETRY_WARNING = '{"level":"warn","ts":"2026-11-28T08:18:55.469Z","caller":"clientv3/retry_interceptor.go:62",' +
  '"msg":"retrying of unary invoker failed","target":"endpoint://client-9a2e/10.231.21.6:2379","attempt":0,' +
  '"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure"}'

describe('upgrade pre-checks: the etcd health refusal line', () => {
  it('picks the "is unhealthy" line over the JSON warnings printed before it', () => {
    expect(refusal({
      rc: 1,
      stdout: '',
      stderr: [
        'https://10.231.21.4:2379 is healthy: successfully committed proposal: took = 9.1ms',
        RETRY_WARNING,
        'https://10.231.21.5:2379 is healthy: successfully committed proposal: took = 10.2ms',
        'https://10.231.21.6:2379 is unhealthy: failed to commit proposal: context deadline exceeded',
        'Error: unhealthy cluster',
      ].join('\n'),
    })).to.equal('etcd is not healthy: https://10.231.21.6:2379 is unhealthy: failed to commit proposal: context deadline exceeded')
  })

  it('without an "is unhealthy" line, takes the first plain line that is not a healthy endpoint', () => {
    expect(refusal({ rc: 1, stdout: 'https://10.0.0.1:2379 is healthy: successfully committed proposal: took = 2ms\n', stderr: `${RETRY_WARNING}\nError: context deadline exceeded\n` }))
      .to.equal('etcd is not healthy: Error: context deadline exceeded')
  })

  it('falls back to a JSON line when that is all etcdctl said, and to "no answer" when it said nothing', () => {
    expect(refusal({ rc: 1, stdout: '', stderr: `  ${RETRY_WARNING}  \n` })).to.equal(`etcd is not healthy: ${RETRY_WARNING}`)
    expect(refusal({ rc: 2, stdout: '', stderr: '\n' })).to.equal('etcd is not healthy: no answer')
  })
})
