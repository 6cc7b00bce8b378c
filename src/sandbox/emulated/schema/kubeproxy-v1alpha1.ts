// kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration, from
// staging/src/k8s.io/kube-proxy/config/v1alpha1/types.go.
import { clientConnection, loggingConfiguration } from './shared-types.js'
import { bool, duration, enumOf, fieldsOf, int32, listOf, mapOf, since, str, struct, type KindSchema } from './types.js'

const g = (go: string) => `v1alpha1.${go}`

export const kubeProxyConfiguration: KindSchema = {
  group: 'kubeproxy.config.k8s.io',
  version: 'v1alpha1',
  kind: 'KubeProxyConfiguration',
  goPackage: 'v1alpha1',
  fields: fieldsOf({
    featureGates: mapOf(bool),
    clientConnection,
    logging: loggingConfiguration,
    hostnameOverride: str,
    bindAddress: str,
    healthzBindAddress: str,
    metricsBindAddress: str,
    bindAddressHardFail: bool,
    enableProfiling: bool,
    showHiddenMetricsForVersion: str,
    mode: enumOf(g('ProxyMode'), ['', 'iptables', 'ipvs', 'nftables', 'kernelspace']),
    iptables: struct(g('KubeProxyIPTablesConfiguration'), {
      masqueradeBit: int32,
      masqueradeAll: bool,
      localhostNodePorts: bool,
      snatNodeInternalIP: since('1.35', bool),
      syncPeriod: duration,
      minSyncPeriod: duration,
    }),
    ipvs: struct(g('KubeProxyIPVSConfiguration'), {
      syncPeriod: duration,
      minSyncPeriod: duration,
      scheduler: str,
      excludeCIDRs: listOf(str),
      strictARP: bool,
      tcpTimeout: duration,
      tcpFinTimeout: duration,
      udpTimeout: duration,
    }),
    nftables: since('1.29', struct(g('KubeProxyNFTablesConfiguration'), {
      masqueradeBit: int32, masqueradeAll: bool, syncPeriod: duration, minSyncPeriod: duration,
    })),
    winkernel: struct(g('KubeProxyWinkernelConfiguration'), {
      networkName: str, sourceVip: str, enableDSR: bool, rootHnsEndpointName: str, forwardHealthCheckVip: bool,
    }),
    detectLocalMode: enumOf(g('LocalMode'), ['', 'ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix']),
    detectLocal: struct(g('DetectLocalConfiguration'), { bridgeInterface: str, interfaceNamePrefix: str }),
    clusterCIDR: str,
    nodePortAddresses: listOf(str),
    oomScoreAdj: int32,
    conntrack: struct(g('KubeProxyConntrackConfiguration'), {
      maxPerCore: int32,
      min: int32,
      tcpEstablishedTimeout: duration,
      tcpCloseWaitTimeout: duration,
      tcpBeLiberal: since('1.29', bool),
      udpTimeout: since('1.29', duration),
      udpStreamTimeout: since('1.29', duration),
    }),
    configSyncPeriod: duration,
    portRange: str,
    windowsRunAsService: bool,
  }),
}
