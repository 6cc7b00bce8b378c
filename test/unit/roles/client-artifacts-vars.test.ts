// kubeconfig_localhost: the admin kubeconfig copied to the artifacts directory names an address reachable from
// outside the cluster, as kubespray's kubernetes/client does.

import { expect } from 'chai'
import { clusterScopes } from './cluster-scope.js'

const ADMIN_CONF = [
  'apiVersion: v1',
  'clusters:',
  '- cluster:',
  '    certificate-authority-data: LS0tLS1CRUdJTg==',
  '    server: https://127.0.0.1:6443',
  '  name: kubernetes',
  'users:',
  '- name: kubernetes-admin',
  '  user:',
  '    client-key-data: c2VjcmV0',
  '',
].join('\n')
const registered = { client_admin_kubeconfig: { content: Buffer.from(ADMIN_CONF).toString('base64') } }

describe('kubeconfig_localhost (kubernetes/client-artifacts)', () => {
  it('the copy names the first control plane\'s access address; nothing else changes', () => {
    const s = clusterScopes(['kubernetes/client-artifacts'], registered, undefined, { cp1: { access_ip: '192.0.2.10' } })('cp2')
    expect(s.get('client_artifacts_kubeconfig_content')).to.equal(ADMIN_CONF.replace('https://127.0.0.1:6443', 'https://192.0.2.10:6443'))
    expect(s.get('artifacts_dir')).to.equal('/inv/artifacts')
  })

  it('with an external load balancer the copy names it, with its port', () => {
    const s = clusterScopes(['kubernetes/client-artifacts'], { ...registered, loadbalancer_apiserver: { address: '192.0.2.50', port: 8443 } })('cp1')
    expect(s.get('client_artifacts_kubeconfig_content')).to.contain('    server: https://192.0.2.50:8443\n')
  })
})
