import { expect } from 'chai'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { kubeadmMain, mixedFlags } from '../../../../src/sandbox/emulated/kubeadm/main.js'
import { featureGateErrors, parseFeatureGatesFlag, supportedFeatureGates } from '../../../../src/sandbox/emulated/kubeadm/feature-gates.js'
import { clusterModel } from '../../../../src/sandbox/emulated/kubeadm/config-model.js'
import { decodeConfigText } from '../../../../src/sandbox/emulated/decode/documents.js'
import { runReset } from '../../../../src/sandbox/emulated/kubeadm/reset.js'
import { parseKubeVersion } from '../../../../src/sandbox/emulated/versions.js'
import { useEmulationRoot } from '../../../harness/emulation-root.js'

describe('emulated kubeadm refuses what real kubeadm refuses', () => {
  it('mixes --config only with kubeadm\'s allowed flags and skip-*, listing the others sorted', () => {
    expect(mixedFlags(['config', 'ignore-preflight-errors', 'upload-certs', 'skip-phases', 'node-name', 'dry-run', 'v'])).to.deep.equal([])
    expect(mixedFlags(['control-plane', 'config', 'certificate-key'])).to.deep.equal(['certificate-key', 'control-plane'])
    expect(mixedFlags(['config', 'patches', 'cri-socket'])).to.deep.equal(['cri-socket', 'patches'])
    expect(mixedFlags(['control-plane', 'certificate-key'])).to.deep.equal([])
  })

  it('knows each minor\'s feature gates and refuses unknown or deprecated ones on the flag', () => {
    expect(supportedFeatureGates(30)).to.have.members(['RootlessControlPlane', 'EtcdLearnerMode', 'WaitForAllControlPlaneComponents'])
    expect(supportedFeatureGates(32)).to.have.members(['RootlessControlPlane', 'EtcdLearnerMode', 'WaitForAllControlPlaneComponents', 'ControlPlaneKubeletLocalMode', 'NodeLocalCRISocket'])
    expect(supportedFeatureGates(35)).to.have.members(['RootlessControlPlane', 'ControlPlaneKubeletLocalMode', 'NodeLocalCRISocket'])
    expect(parseFeatureGatesFlag('NodeLocalCRISocket=true,RootlessControlPlane=f', 34)).to.deep.equal({ NodeLocalCRISocket: true, RootlessControlPlane: false })
    expect(() => parseFeatureGatesFlag('NodeLocalCRISocket=true', 31)).to.throw('unrecognized feature-gate key: NodeLocalCRISocket')
    expect(() => parseFeatureGatesFlag('PublicKeysECDSA=true', 32)).to.throw('feature-gate key is deprecated: PublicKeysECDSA')
    expect(() => parseFeatureGatesFlag('EtcdLearnerMode', 32)).to.throw('missing bool value for feature-gate key:EtcdLearnerMode')
    expect(() => parseFeatureGatesFlag('EtcdLearnerMode=yes', 32)).to.throw('invalid value yes for feature-gate key: EtcdLearnerMode, use true|false instead')
  })

  it('fails ClusterConfiguration validation for a feature gate its release does not support', () => {
    expect(featureGateErrors({ EtcdLearnerMode: true }, 33)).to.deep.equal([
      'featureGates: Invalid value: map[string]bool{"EtcdLearnerMode":true}: EtcdLearnerMode is not a valid feature name.'])
    const v = parseKubeVersion('1.32.13')!
    expect(() => clusterModel({ featureGates: { Bogus: true, EtcdLearnerMode: false } }, 'kubeadm.k8s.io/v1beta4', v)).to.throw(
      'featureGates: Invalid value: map[string]bool{"Bogus":true, "EtcdLearnerMode":false}: Bogus is not a valid feature name.')
    expect(clusterModel({ featureGates: { ControlPlaneKubeletLocalMode: true } }, 'kubeadm.k8s.io/v1beta4', v).kubernetesVersion).to.deep.equal(v)
  })

  it('knows the v1beta4 additions of 1.33 to 1.35 only from their release', () => {
    const cluster = (extra: string) => `apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n${extra}`
    expect(() => clusterModel({ encryptionAlgorithm: 'ECDSA-P384' }, 'kubeadm.k8s.io/v1beta4', parseKubeVersion('1.33.9')!)).to.throw(
      'encryptionAlgorithm: Unsupported value: "ECDSA-P384": supported values: "ECDSA-P256", "RSA-2048", "RSA-3072", "RSA-4096"')
    expect(clusterModel({ encryptionAlgorithm: 'ECDSA-P384' }, 'kubeadm.k8s.io/v1beta4', parseKubeVersion('1.34.1')!).encryptionAlgorithm).to.equal('ECDSA-P384')
    const http = cluster('etcd:\n  external:\n    endpoints: [https://10.0.0.1:2379]\n    httpEndpoints: [https://10.0.0.1:2381]\n')
    expect(() => decodeConfigText(http, 34)).to.throw('unknown field "etcd.external.httpEndpoints"')
    expect(decodeConfigText(http, 35).documents).to.have.length(1)
    const plan = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: UpgradeConfiguration\nplan:\n  etcdUpgrade: false\n'
    expect(() => decodeConfigText(plan, 32)).to.throw('unknown field "plan.etcdUpgrade"')
    expect(decodeConfigText(plan, 33).documents).to.have.length(1)
  })

  it('refuses a component config of an old API version instead of ignoring it', () => {
    const text = 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\n---\napiVersion: kubelet.config.k8s.io/v1alpha1\nkind: KubeletConfiguration\n'
    expect(() => decodeConfigText(text, 32)).to.throw(
      'unsupported apiVersion "kubelet.config.k8s.io/v1alpha1", you may have to do manual conversion to "kubelet.config.k8s.io/v1beta1" and run kubeadm again')
    expect(() => decodeConfigText('apiVersion: kubeproxy.config.k8s.io/v1beta1\nkind: KubeProxyConfiguration\n', 32)).to.throw(
      'manual conversion to "kubeproxy.config.k8s.io/v1alpha1"')
  })

  describe('commands run on a node', () => {
  const at = useEmulationRoot('reset', [])

    it('config validate runs the semantic checks too, not only decoding', async () => {
      writeFileSync(at('bad.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nfeatureGates:\n  NoSuchGate: true\n')
      writeFileSync(at('good.yaml'), 'apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nfeatureGates:\n  ControlPlaneKubeletLocalMode: true\n')
      const written: string[] = []
      const [out, err] = [process.stdout.write.bind(process.stdout), process.stderr.write.bind(process.stderr)]
      const capture = ((t: string) => written.push(t) > 0) as typeof process.stdout.write
      process.stdout.write = capture
      process.stderr.write = capture
      let codes: number[]
      try {
        codes = [await kubeadmMain(['config', 'validate', '--config', '/bad.yaml']), await kubeadmMain(['config', 'validate', '--config', '/good.yaml'])]
      } finally {
        process.stdout.write = out
        process.stderr.write = err
      }
      expect(codes).to.deep.equal([1, 0])
      expect(written.join('')).to.contain('NoSuchGate is not a valid feature name.')
      expect(written).to.include('ok\n')
    })

    it('reset --dry-run says what it would delete and deletes nothing', () => {
      mkdirSync(at('etc/kubernetes/pki'), { recursive: true })
      writeFileSync(at('etc/kubernetes/kubelet.conf'), 'x')
      const lines: string[] = []
      runReset(true, (s) => lines.push(s), true)
      expect(lines).to.include('[dryrun] Would stop the kubelet service')
      expect(lines.join('\n')).to.contain('[dryrun] Would delete files: [/etc/kubernetes/admin.conf')
      expect(existsSync(at('etc/kubernetes/kubelet.conf'))).to.equal(true)
      expect(existsSync(at('etc/kubernetes/pki'))).to.equal(true)
    })
  })
})
