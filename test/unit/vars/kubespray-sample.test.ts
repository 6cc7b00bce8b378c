import { expect } from 'chai'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { ANSIBLE_YAML_SCHEMA } from '../../../src/engine/yaml-schema.js'
import { TemplateError } from '../../../src/engine/errors.js'
import { deriveKubesprayVars } from '../../../src/engine/inventory/kubespray-derived.js'
import type { ScopeLayer } from '../../../src/engine/vars/layer.js'
import { VarScope } from '../../../src/engine/vars/scope.js'
import { PACKAGE_ROOT, ROLES_DIR } from '../../../src/engine/paths.js'

// kubespray's own sample (a verbatim copy of its group_vars; see test/fixtures/inventory/kubespray-sample).
const ROOT = join(PACKAGE_ROOT, 'test', 'fixtures', 'inventory', 'kubespray-sample', 'group_vars')

function loadLayers(): ScopeLayer[] {
  const layers: ScopeLayer[] = []
  for (const group of ['all', 'k8s_cluster']) {
    for (const file of readdirSync(join(ROOT, group)).sort()) {
      const text = readFileSync(join(ROOT, group, file), 'utf8')
      const hasContent = text.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#') && l.trim() !== '---')
      const vars = (hasContent ? (load(text, { schema: ANSIBLE_YAML_SCHEMA }) ?? {}) : {}) as Record<string, unknown>
      const lines: Record<string, number> = {}
      text.split('\n').forEach((l, i) => {
        const m = /^([A-Za-z_]\w*):/.exec(l)
        if (m && Object.hasOwn(vars, m[1]!)) lines[m[1]!] = i + 1
      })
      layers.push({ source: `group_vars/${group}/${file}`, vars, lines })
    }
  }
  return layers
}

describe('kubespray sample group_vars', () => {
  const layers = loadLayers()
  const names = [...new Set(layers.flatMap((l) => Object.keys(l.vars)))]

  it('has a real number of values to check', () => {
    expect(names.length).to.be.greaterThan(80)
  })

  it('renders every value, or fails only on use, naming the variable, its file and line', () => {
    const inventoryDir = mkdtempSync(join(tmpdir(), 'ks-sample-'))
    const scope = new VarScope(layers, { host: 'node1', magic: { inventory_dir: () => inventoryDir } })
    const failed: string[] = []
    for (const name of names) {
      try {
        scope.get(name)
      } catch (e) {
        failed.push(name)
        expect(e).to.be.instanceOf(TemplateError)
        const raw = scope.raw(name)!
        expect((e as Error).message).to.contain(`${raw.source}:${raw.line}, host node1: variable '${name}'`)
      }
    }
    // Unevaluable without role defaults: kube_service_subnets lives in kubespray_defaults.
    expect(failed.sort()).to.deep.equal(['kube_apiserver_ip', 'skydns_server', 'skydns_server_secondary'])
    expect(scope.get('kube_cert_dir')).to.equal('/etc/kubernetes/ssl')
    expect(scope.get('credentials_dir')).to.equal(`${inventoryDir}/credentials`)
    expect(scope.get('kubeadm_certificate_key')).to.match(/^[0-9a-f]{64}$/)
    expect(scope.get('kube_proxy_nodeport_addresses')).to.deep.equal([])
    expect(scope.get('dns_domain')).to.equal('cluster.local')
  })

  it('derives the service addresses kubeseed computes itself, warning once per variable', () => {
    const scope = new VarScope(layers, { host: 'node1' })
    const seen = new Set<string>()
    const first = deriveKubesprayVars(scope, seen)
    expect(first.layer.vars).to.deep.equal({
      kube_apiserver_ip: '10.233.0.1',
      skydns_server: '10.233.0.3',
      skydns_server_secondary: '10.233.0.4',
      dns_domain: 'cluster.local',
    })
    expect(first.warnings).to.have.length(3)
    expect(first.warnings[0]).to.match(/^group_vars\/k8s_cluster\/k8s-cluster\.yml:\d+: kube_apiserver_ip cannot be evaluated by kubeseed .*kubeseed uses "10\.233\.0\.1"/)
    expect(deriveKubesprayVars(scope, seen).warnings).to.deep.equal([])
    const derived = scope.child(first.layer)
    expect(derived.get('skydns_server')).to.equal('10.233.0.3')
  })

  it('warns about none of them when kubeseed\'s kubespray_defaults (a play\'s role defaults) lies under the inventory', () => {
    const file = join(ROLES_DIR, 'kubespray_defaults', 'defaults', 'main.yaml')
    const defaults = { source: file, vars: load(readFileSync(file, 'utf8'), { schema: ANSIBLE_YAML_SCHEMA }) as Record<string, unknown> }
    const { layer, warnings } = deriveKubesprayVars(new VarScope(layers, { host: 'node1' }), new Set(), new VarScope([defaults, ...layers], { host: 'node1' }))
    expect(warnings).to.deep.equal([])
    expect(layer.vars).to.include({ kube_apiserver_ip: '10.233.0.1', skydns_server: '10.233.0.3' })
  })

  it('keeps a plain value the user set and follows the inventory service CIDR', () => {
    const scope = new VarScope([...layers, { source: 'host_vars/node1.yml', vars: { kube_apiserver_ip: '10.233.0.77', kube_service_addresses: '10.96.0.0/12', cluster_name: 'prod.local' } }], { host: 'node1' })
    const { layer, warnings } = deriveKubesprayVars(scope)
    expect(layer.vars).to.deep.equal({ skydns_server: '10.96.0.3', skydns_server_secondary: '10.96.0.4', dns_domain: 'prod.local' })
    expect(warnings).to.have.length(2)
  })
})
