import { expect } from 'chai'
import { certsToTransfer } from '../../../../src/sandbox/emulated/kubeadm/certs.js'

// What `kubeadm init phase upload-certs` carries to joining control planes (kubeadm's copycerts).
describe('emulated kubeadm: certificates upload-certs carries', () => {
  it('stacked etcd: the shared CAs, the service-account keys and the etcd CA under the certificates dir', () => {
    const files = certsToTransfer({ certificatesDir: '/etc/kubernetes/pki', etcd: { local: { dataDir: '/var/lib/etcd', serverCertSANs: [], peerCertSANs: [] } } })
    expect(files.map((f) => f.key)).to.include.members(['ca.crt', 'ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd-ca.crt', 'etcd-ca.key'])
    expect(files.find((f) => f.key === 'etcd-ca.key')).to.deep.equal({ key: 'etcd-ca.key', path: '/etc/kubernetes/pki/etcd/ca.key', secret: true })
  })

  it('external etcd: its CA and the API server client certificate at their configured paths, no etcd CA key', () => {
    const files = certsToTransfer({
      certificatesDir: '/etc/kubernetes/ssl',
      etcd: { external: { endpoints: ['https://10.0.0.1:2379'], caFile: '/etc/ssl/etcd/ssl/ca.pem', certFile: '/etc/ssl/etcd/ssl/node-cp1.pem', keyFile: '/etc/ssl/etcd/ssl/node-cp1-key.pem' } },
    })
    expect(files.map((f) => f.key)).not.to.include('etcd-ca.key')
    expect(files.filter((f) => f.key.startsWith('external-'))).to.deep.equal([
      { key: 'external-etcd-ca.crt', path: '/etc/ssl/etcd/ssl/ca.pem', secret: false },
      { key: 'external-etcd.crt', path: '/etc/ssl/etcd/ssl/node-cp1.pem', secret: false },
      { key: 'external-etcd.key', path: '/etc/ssl/etcd/ssl/node-cp1-key.pem', secret: true },
    ])
  })
})
