import { expect } from 'chai'
import { decodeConfigText } from '../../../../src/sandbox/emulated/decode/documents.js'

const v4 = 'apiVersion: kubeadm.k8s.io/v1beta4'
const v3 = 'apiVersion: kubeadm.k8s.io/v1beta3'
const kubelet = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration'
const proxy = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration'

// [name, kubeadm minor, document, expected error substring]
const bad: Array<[string, number, string, string]> = [
  ['unknown top-level field', 32, `${v4}\nkind: ClusterConfiguration\nkubernetesVersoin: v1.32.0`,
    'error unmarshaling configuration schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta4", Kind:"ClusterConfiguration"}: strict decoding error: unknown field "kubernetesVersoin"'],
  ['every unknown field is listed with its path', 32, `${v4}\nkind: InitConfiguration\nnodeRegistration:\n  nmae: a\nlocalAPIEndpoint:\n  port: 1`,
    'strict decoding error: unknown field "nodeRegistration.nmae", unknown field "localAPIEndpoint.port"'],
  ['field names are case-sensitive', 32, `${v4}\nkind: ClusterConfiguration\nKubernetesVersion: v1.32.0`, 'unknown field "KubernetesVersion"'],
  ['unknown field inside a list item', 32, `${v4}\nkind: InitConfiguration\nbootstrapTokens:\n- token: abcdef.0123456789abcdef\n  tll: 1h`,
    'unknown field "bootstrapTokens[0].tll"'],
  ['string where an int32 is expected', 32, `${v4}\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: "6443"`,
    'json: cannot unmarshal string into Go struct field InitConfiguration.localAPIEndpoint.bindPort of type int32'],
  ['int32 overflow', 32, `${v4}\nkind: InitConfiguration\nlocalAPIEndpoint:\n  bindPort: 3000000000`,
    'cannot unmarshal number 3000000000 into Go struct field InitConfiguration.localAPIEndpoint.bindPort of type int32'],
  ['a YAML 1.1 boolean is not a string', 32, `${v4}\nkind: InitConfiguration\nnodeRegistration:\n  name: yes`,
    'json: cannot unmarshal bool into Go struct field InitConfiguration.nodeRegistration.name of type string'],
  ['v1beta4 extraArgs is a list, not a map', 32, `${v4}\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    audit-log-path: /x`,
    'json: cannot unmarshal object into Go struct field ClusterConfiguration.apiServer.extraArgs of type []v1beta4.Arg'],
  ['v1beta3 extraArgs is a map, not a list', 32, `${v3}\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n  - name: a\n    value: b`,
    'json: cannot unmarshal array into Go struct field ClusterConfiguration.apiServer.extraArgs of type map[string]string'],
  ['bad duration', 32, `${v4}\nkind: ClusterConfiguration\ncertificateValidityPeriod: 1year`, 'time: invalid duration "1year"'],
  ['bad enum', 32, `${v4}\nkind: InitConfiguration\nnodeRegistration:\n  imagePullPolicy: Sometimes`,
    'nodeRegistration.imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'],
  ['bad taint effect', 32, `${v4}\nkind: InitConfiguration\nnodeRegistration:\n  taints:\n  - key: a\n    effect: NoSchedul`,
    'nodeRegistration.taints[0].effect: Unsupported value: "NoSchedul"'],
  ['bad encryption algorithm', 32, `${v4}\nkind: ClusterConfiguration\nencryptionAlgorithm: RSA-1024`, 'encryptionAlgorithm: Unsupported value: "RSA-1024"'],
  ['v1beta4 only field in v1beta3', 32, `${v3}\nkind: ClusterConfiguration\nencryptionAlgorithm: RSA-2048`, 'unknown field "encryptionAlgorithm"'],
  ['v1beta3 only field in v1beta4', 32, `${v4}\nkind: ClusterConfiguration\napiServer:\n  timeoutForControlPlane: 4m`, 'unknown field "apiServer.timeoutForControlPlane"'],
  ['v1beta4 before kubeadm 1.31', 30, `${v4}\nkind: InitConfiguration`,
    'no kind "InitConfiguration" is registered for version "kubeadm.k8s.io/v1beta4"'],
  ['removed API version', 32, 'apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration',
    'your configuration file uses an old API spec: "kubeadm.k8s.io/v1beta2" (kind: "ClusterConfiguration"). Please use kubeadm v1.21 instead'],
  ['duplicate key', 32, `${v4}\nkind: ClusterConfiguration\nclusterName: a\nclusterName: b`,
    'error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key "clusterName" already set in map'],
  ['same kind twice', 32, `${v4}\nkind: ClusterConfiguration\n---\n${v4}\nkind: ClusterConfiguration`, 'kind "ClusterConfiguration" is specified twice'],
  ['missing kind', 32, `${v4}\nclusterName: a`, "Object 'Kind' is missing"],
  ['kubelet unknown field', 32, `${kubelet}\ncgroupDrivr: systemd`,
    'Version:"v1beta1", Kind:"KubeletConfiguration"}: strict decoding error: unknown field "cgroupDrivr"'],
  ['kubelet bad cgroup driver', 32, `${kubelet}\ncgroupDriver: upstart`, 'cgroupDriver: Unsupported value: "upstart": supported values: "cgroupfs", "systemd"'],
  ['kubelet wrong type', 32, `${kubelet}\nfailSwapOn: "false"`,
    'json: cannot unmarshal string into Go struct field KubeletConfiguration.failSwapOn of type bool'],
  ['kubelet field newer than the version', 30, `${kubelet}\nfailCgroupV1: false`, 'unknown field "failCgroupV1"'],
  ['kubelet nested unknown field', 32, `${kubelet}\nauthentication:\n  x509:\n    clientCAfile: /x`, 'unknown field "authentication.x509.clientCAfile"'],
  ['kube-proxy bad mode', 32, `${proxy}\nmode: userspace`, 'mode: Unsupported value: "userspace"'],
  ['kube-proxy unknown field', 32, `${proxy}\nipvs:\n  strictArp: true`, 'unknown field "ipvs.strictArp"'],
  ['kube-proxy wrong type', 32, `${proxy}\nconntrack:\n  maxPerCore: lots`,
    'json: cannot unmarshal string into Go struct field KubeProxyConfiguration.conntrack.maxPerCore of type int32'],
]

const good: Array<[string, number, string, string[]]> = [
  ['a full v1beta4 init document set', 32, `${v4}
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
  ttl: 24h0m0s
  usages: [signing, authentication]
  groups: [system:bootstrappers:kubeadm:default-node-token]
localAPIEndpoint:
  advertiseAddress: 10.0.0.1
  bindPort: 6443
nodeRegistration:
  name: cp1
  criSocket: unix:///var/run/containerd/containerd.sock
  taints: []
  kubeletExtraArgs:
  - name: node-ip
    value: 10.0.0.1
  ignorePreflightErrors: [Swap]
  imagePullPolicy: IfNotPresent
  imagePullSerial: true
skipPhases: [addon/kube-proxy]
timeouts:
  controlPlaneComponentHealthCheck: 4m0s
---
${v4}
kind: ClusterConfiguration
kubernetesVersion: v1.32.13
controlPlaneEndpoint: lb.example:6443
etcd:
  external:
    endpoints: [https://10.0.0.1:2379]
    caFile: /etc/ssl/etcd/ca.pem
    certFile: /etc/ssl/etcd/node.pem
    keyFile: /etc/ssl/etcd/node-key.pem
networking: {serviceSubnet: 10.233.0.0/18, podSubnet: 10.233.64.0/18, dnsDomain: cluster.local}
apiServer:
  certSANs: [10.0.0.1, lb.example]
  extraArgs:
  - {name: audit-log-path, value: /var/log/audit.log}
  extraVolumes:
  - {name: audit, hostPath: /var/log, mountPath: /var/log, readOnly: false, pathType: DirectoryOrCreate}
controllerManager:
  extraArgs: [{name: node-monitor-grace-period, value: 40s}]
scheduler: {}
dns: {imageRepository: registry.local/coredns, imageTag: v1.11.3}
proxy: {disabled: false}
imageRepository: registry.local
featureGates: {}
clusterName: cluster.local
encryptionAlgorithm: ECDSA-P256
certificateValidityPeriod: 8760h
---
${kubelet}
cgroupDriver: systemd
failSwapOn: false
clusterDNS: [10.233.0.3]
evictionHard: {memory.available: 100Mi}
systemReserved: {cpu: 100m}
shutdownGracePeriod: 30s
---
${proxy}
mode: ipvs
clusterCIDR: 10.233.64.0/18
ipvs: {strictARP: true, scheduler: rr}
conntrack: {maxPerCore: 32768, min: 131072}
`, ['InitConfiguration', 'ClusterConfiguration', 'KubeletConfiguration', 'KubeProxyConfiguration']],
  ['a v1beta3 join document (deprecated but accepted)', 32, `${v3}
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: abcdef.0123456789abcdef
    apiServerEndpoint: 10.0.0.1:6443
    caCertHashes: [sha256:0000000000000000000000000000000000000000000000000000000000000000]
  timeout: 5m0s
nodeRegistration:
  kubeletExtraArgs: {node-ip: 10.0.0.2}
`, ['JoinConfiguration']],
  ['null values are allowed anywhere', 32, `${v4}\nkind: ClusterConfiguration\nnetworking: null\nfeatureGates: ~`, ['ClusterConfiguration']],
  ['v1beta4 Reset and Upgrade kinds', 32, `${v4}\nkind: ResetConfiguration\nforce: true\nunmountFlags: [MNT_DETACH]\n---\n${v4}\nkind: UpgradeConfiguration\napply:\n  forceUpgrade: true\n  SkipPhases: [addon/kube-proxy]\nnode:\n  etcdUpgrade: false`, ['ResetConfiguration', 'UpgradeConfiguration']],
]

describe('emulated kubeadm strict config decoding', () => {
  for (const [name, minor, text, message] of bad) {
    it(`rejects: ${name}`, () => {
      expect(() => decodeConfigText(text, minor)).to.throw(message)
    })
  }
  for (const [name, minor, text, kinds] of good) {
    it(`accepts: ${name}`, () => {
      expect(decodeConfigText(text, minor).documents.map((d) => d.kind)).to.deep.equal(kinds)
    })
  }

  it('warns about, and skips, documents of unknown kinds', () => {
    const r = decodeConfigText('apiVersion: example.com/v1\nkind: Foo\n---\napiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration', 32)
    expect(r.documents.map((d) => d.kind)).to.deep.equal(['ClusterConfiguration'])
    expect(r.warnings).to.deep.equal(['[config] WARNING: Ignored YAML document with GroupVersionKind example.com/v1, Kind=Foo'])
  })

  it('ignores kinds a known kubeadm version does not have (ResetConfiguration in v1beta3), as kubeadm does', () => {
    const r = decodeConfigText('apiVersion: kubeadm.k8s.io/v1beta3\nkind: ResetConfiguration', 32)
    expect(r.documents).to.deep.equal([])
    expect(r.warnings).to.deep.equal(['[config] WARNING: Ignored YAML document with GroupVersionKind kubeadm.k8s.io/v1beta3, Kind=ResetConfiguration'])
  })

  it('warns that v1beta3 is deprecated from kubeadm 1.31 on, not before', () => {
    const doc = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration'
    expect(decodeConfigText(doc, 31).warnings.join()).to.contain('uses a deprecated API spec: "kubeadm.k8s.io/v1beta3"')
    expect(decodeConfigText(doc, 30).warnings).to.deep.equal([])
  })

  it('reads v1beta3 up to kubeadm 1.36 and refuses it from 1.37, naming the release to migrate with', () => {
    const doc = 'apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration'
    expect(decodeConfigText(doc, 36).documents.map((d) => d.kind)).to.deep.equal(['ClusterConfiguration'])
    expect(() => decodeConfigText(doc, 37)).to.throw(
      'your configuration file uses an old API spec: "kubeadm.k8s.io/v1beta3" (kind: "ClusterConfiguration"). Please use kubeadm v1.36 instead')
    expect(decodeConfigText('apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration', 37).documents).to.have.length(1)
  })
})
