import { expect } from 'chai'
import { load } from 'js-yaml'
import { mirrorGroupVars, mirrorPath, groupVarsYaml } from '../../../src/offline/serve.js'
import { resolveRequest } from '../../../src/offline/file-server.js'

describe('offline mirror planning', () => {
  it('maps an image to the registry-host-less path kubespray and containerd mirrors use', () => {
    expect(mirrorPath('registry.k8s.io/kube-apiserver')).to.deep.equal({ registry: 'registry.k8s.io', path: 'kube-apiserver' })
    expect(mirrorPath('registry.k8s.io/coredns/coredns')).to.deep.equal({ registry: 'registry.k8s.io', path: 'coredns/coredns' })
    expect(mirrorPath('quay.io/calico/node')).to.deep.equal({ registry: 'quay.io', path: 'calico/node' })
    expect(mirrorPath('nginx')).to.deep.equal({ registry: 'docker.io', path: 'library/nginx' })
    expect(mirrorPath('rancher/local-path-provisioner')).to.deep.equal({ registry: 'docker.io', path: 'rancher/local-path-provisioner' })
    expect(mirrorPath('localhost:5000/x/y')).to.deep.equal({ registry: 'localhost:5000', path: 'x/y' })
  })

  const KEY = { fingerprint: 'A'.repeat(40), publicKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmDMEZ\n-----END PGP PUBLIC KEY BLOCK-----\n' }
  const image = (repo: string, tag: string, n: number) => ({ name: repo, repo, tag, archive: `images/${repo}/${tag}.oci.tar`, manifestDigest: `sha256:${String(n).repeat(64)}` })

  it('gives kubespray group_vars with one containerd mirror per upstream registry, the apt key and every image digest', () => {
    const images = [image('registry.k8s.io/pause', '3.10', 1), image('quay.io/calico/node', 'v3.29.1', 2), image('registry.k8s.io/kube-proxy', 'v1.32.0', 3)]
    const vars = mirrorGroupVars('http://10.231.0.1:8080', '10.231.0.1:5000', { images, aptKey: KEY })
    expect(vars).to.deep.equal({
      files_repo: 'http://10.231.0.1:8080/files',
      registry_host: '10.231.0.1:5000',
      debian_repo: 'http://10.231.0.1:8080/debian',
      kubeseed_mirror_apt_key: KEY.publicKey,
      kubeseed_mirror_apt_key_fingerprint: KEY.fingerprint,
      kubeseed_image_digests: {
        'registry.k8s.io/pause:3.10': `sha256:${'1'.repeat(64)}`,
        'quay.io/calico/node:v3.29.1': `sha256:${'2'.repeat(64)}`,
        'registry.k8s.io/kube-proxy:v1.32.0': `sha256:${'3'.repeat(64)}`,
      },
      containerd_registries_mirrors: [
        { prefix: 'quay.io', mirrors: [{ host: 'http://10.231.0.1:5000', capabilities: ['pull', 'resolve'], skip_verify: false }] },
        { prefix: 'registry.k8s.io', mirrors: [{ host: 'http://10.231.0.1:5000', capabilities: ['pull', 'resolve'], skip_verify: false }] },
      ],
    })
    const text = groupVarsYaml(vars)
    expect(load(text)).to.deep.equal(vars)
    expect(text).to.contain(`signed by key ${KEY.fingerprint}`)
    expect(text).not.to.contain('trusted=yes')
  })

  it('serves only inside its mounts', () => {
    const mounts = { files: '/b/files', debian: '/b/debian' }
    expect(resolveRequest(mounts, '/files/dl.k8s.io/release/v1/kubeadm')).to.equal('/b/files/dl.k8s.io/release/v1/kubeadm')
    expect(resolveRequest(mounts, '/debian/Packages')).to.equal('/b/debian/Packages')
    expect(resolveRequest(mounts, '/files/../bundle.json')).to.equal(undefined)
    expect(resolveRequest(mounts, '/files/a/../../../etc/passwd')).to.equal(undefined)
    expect(resolveRequest(mounts, '/bundle.json')).to.equal(undefined)
  })
})
