// One cluster of light hosts shared by the tests of a suite: started in `before`, stopped in `after`.

import { startLightHosts, type LightCluster, type LightHost, type LightOptions } from '../../src/sandbox/light.js'
import type { HostAddress } from '../../src/engine/transport/types.js'
import type { SshOptions } from '../../src/engine/transport/ssh.js'

export interface SharedCluster {
  readonly cluster: LightCluster
}

/** Registers mocha hooks; read `.cluster` inside tests. */
export function useLightCluster(opts: LightOptions): SharedCluster {
  let cluster: LightCluster | undefined
  before(async function () {
    this.timeout(180_000)
    cluster = await startLightHosts(opts)
  })
  after(async function () {
    this.timeout(60_000)
    await cluster?.stop()
  })
  return {
    get cluster(): LightCluster {
      if (!cluster) throw new Error('the light cluster is not running (before hook failed?)')
      return cluster
    },
  }
}

/** How to reach a light host as `user`, with the cluster's key. */
export function lightAddress(c: LightCluster, host: LightHost | string, user = 'root'): HostAddress {
  const h = typeof host === 'string' ? c.host(host) : host
  return { name: h.name, connection: 'ssh', address: h.address, port: h.port, user, privateKeyFile: c.keyFile }
}

/** Strict host key checking against the cluster's known_hosts only; no agent, quick retries. */
export function lightSshOptions(c: LightCluster, extra: SshOptions = {}): SshOptions {
  return {
    knownHostsFiles: [c.knownHostsFile],
    userKnownHostsFile: null,
    agentSocket: null,
    connectTimeoutMs: 5000,
    retryDelayMs: 100,
    ...extra,
  }
}
