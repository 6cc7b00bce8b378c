import { expect } from 'chai'
import { hostScope, render } from './role-scope.js'

// The kubelet's files as the node role writes them: flags reach the kubelet only through its unit.
describe('kubelet templates (kubernetes/node)', () => {
  const NODE = ['kubernetes/node']

  it('the kubeadm drop-in reads kubeadm-flags.env and /etc/default/kubelet and passes every variable to the kubelet', () => {
    const dropIn = render('kubelet/10-kubeadm.conf.hbs', hostScope('node2', NODE))
    expect(dropIn).to.contain('EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env')
    expect(dropIn).to.contain('EnvironmentFile=-/etc/default/kubelet')
    expect(dropIn).to.match(/^ExecStart=$/m)
    expect(dropIn).to.contain('ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS')
    expect(dropIn).to.contain('--kubeconfig=/etc/kubernetes/kubelet.conf')
    expect(render('systemd/kubelet.service.hbs', hostScope('node2', NODE))).to.match(/^ExecStart=\/usr\/local\/bin\/kubelet$/m)
  })

  it('KUBELET_EXTRA_ARGS: the node IP from ip, self-assignable labels only, custom flags as a list or a string', () => {
    const env = render('kubelet/kubelet.env.hbs', hostScope('node2', NODE, {
      node_labels: { tier: 'web', 'node-role.kubernetes.io/worker': '', 'node.kubernetes.io/pool': 'a', 'example.com/x': 'y' },
      kubelet_custom_flags: ['--v=2', '--serialize-image-pulls=false'],
    }))
    expect(env.trim().split('\n').pop()).to.equal('KUBELET_EXTRA_ARGS="--node-ip=10.231.0.3 --node-labels=tier=web,node.kubernetes.io/pool=a,example.com/x=y --v=2 --serialize-image-pulls=false"')
    const plain = render('kubelet/kubelet.env.hbs', hostScope('node2', NODE, { kubelet_custom_flags: '--v=3 --max-open-files=100' }))
    expect(plain).to.contain('KUBELET_EXTRA_ARGS="--node-ip=10.231.0.3 --v=3 --max-open-files=100"')
  })

  it('without ip the node IP comes from the default route fact, then ansible_host', () => {
    const fromFacts = render('kubelet/kubelet.env.hbs', hostScope('node3', NODE, { ansible_default_ipv4: { address: '10.231.0.44' } }))
    expect(fromFacts).to.contain('--node-ip=10.231.0.44"')
    expect(render('kubelet/kubelet.env.hbs', hostScope('node3', NODE))).to.contain('--node-ip=10.231.0.4"')
  })
})
