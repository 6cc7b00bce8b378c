import { expect } from 'chai'
import { age, jsonpath, nodeRoles, nodeStatus, printObjects, printTable, table } from '../../../../src/sandbox/emulated/kubectl/print.js'
import { resourceByName, resourcesOfCrd, apiPath, RESOURCE_TYPES } from '../../../../src/sandbox/emulated/api-resources.js'

const node = (name: string, ready: string, labels: Record<string, string> = {}, unschedulable = false) => ({
  metadata: { name, labels, creationTimestamp: new Date(Date.now() - 90_000).toISOString() },
  spec: unschedulable ? { unschedulable: true } : {},
  status: { conditions: [{ type: 'Ready', status: ready }], nodeInfo: { kubeletVersion: 'v1.32.13' } },
})

describe('emulated kubectl printing', () => {
  it('aligns columns as tabwriter does (3 spaces)', () => {
    expect(table([['NAME', 'AGE'], ['a-long-name', '5s']])).to.equal('NAME          AGE\na-long-name   5s')
  })

  it('prints node status, roles and age like kubectl get nodes', () => {
    expect(nodeStatus(node('a', 'True'))).to.equal('Ready')
    expect(nodeStatus(node('a', 'False', {}, true))).to.equal('NotReady,SchedulingDisabled')
    expect(nodeStatus(node('a', 'Unknown'))).to.equal('NotReady')
    expect(nodeRoles(node('a', 'True', { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '' }))).to.equal('control-plane,worker')
    expect(nodeRoles(node('a', 'True'))).to.equal('<none>')
    expect(age(new Date(Date.now() - 3 * 3600_000).toISOString())).to.equal('3h')
    const out = printTable(resourceByName('nodes')!, [node('cp1', 'True', { 'node-role.kubernetes.io/control-plane': '' })], false, false)
    expect(out).to.equal('NAME   STATUS   ROLES           AGE   VERSION\ncp1    Ready    control-plane   90s   v1.32.13')
  })

  it('evaluates the jsonpath forms scripts use', () => {
    const data = { items: [{ metadata: { name: 'a' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, { metadata: { name: 'b' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } }] }
    expect(jsonpath('{.items[*].metadata.name}', data)).to.equal('a b')
    expect(jsonpath('{.items[0].metadata.name}', data)).to.equal('a')
    expect(jsonpath('{.items[*].status.conditions[?(@.type=="Ready")].status}', data)).to.equal('True False')
  })

  it('maps names, short names and manifest kinds to API paths', () => {
    expect(apiPath(resourceByName('no')!, undefined, 'n1')).to.equal('/api/v1/nodes/n1')
    expect(apiPath(resourceByName('deploy')!, 'kube-system')).to.equal('/apis/apps/v1/namespaces/kube-system/deployments')
    const ippools = resourcesOfCrd({ spec: { group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPPool', plural: 'ippools', singular: 'ippool' }, versions: [{ name: 'v1', served: true }] } })
    expect(apiPath(ippools[0]!, 'default', 'p')).to.equal('/apis/crd.projectcalico.org/v1/ippools/p')
    const policies = resourcesOfCrd({ spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Policy', plural: 'policies' }, versions: [{ name: 'v1' }, { name: 'v0', served: false }] } })
    expect(policies.map((t) => t.apiVersion)).to.deep.equal(['example.com/v1'])
    expect(apiPath(policies[0]!, 'ns1', 'p')).to.equal('/apis/example.com/v1/namespaces/ns1/policies/p')
  })

  it('-o name prints kind.group/name as kubectl does, the group left out only for the core group', () => {
    // kubectl's NamePrinter: lower-case kind, then `.group` unless the group is the core (empty) one
    const EXPECTED: Record<string, string> = {
      Node: 'node', Pod: 'pod', Namespace: 'namespace', ConfigMap: 'configmap', Secret: 'secret', Service: 'service',
      ServiceAccount: 'serviceaccount', Endpoints: 'endpoints', PersistentVolume: 'persistentvolume',
      PersistentVolumeClaim: 'persistentvolumeclaim', Event: 'event', ResourceQuota: 'resourcequota', LimitRange: 'limitrange',
      Deployment: 'deployment.apps', DaemonSet: 'daemonset.apps', StatefulSet: 'statefulset.apps', ReplicaSet: 'replicaset.apps',
      ControllerRevision: 'controllerrevision.apps', Lease: 'lease.coordination.k8s.io',
      CertificateSigningRequest: 'certificatesigningrequest.certificates.k8s.io',
      ClusterRole: 'clusterrole.rbac.authorization.k8s.io', ClusterRoleBinding: 'clusterrolebinding.rbac.authorization.k8s.io',
      Role: 'role.rbac.authorization.k8s.io', RoleBinding: 'rolebinding.rbac.authorization.k8s.io',
      StorageClass: 'storageclass.storage.k8s.io', CSIDriver: 'csidriver.storage.k8s.io', PriorityClass: 'priorityclass.scheduling.k8s.io',
      CustomResourceDefinition: 'customresourcedefinition.apiextensions.k8s.io', PodDisruptionBudget: 'poddisruptionbudget.policy',
      MutatingWebhookConfiguration: 'mutatingwebhookconfiguration.admissionregistration.k8s.io',
      ValidatingWebhookConfiguration: 'validatingwebhookconfiguration.admissionregistration.k8s.io',
      APIService: 'apiservice.apiregistration.k8s.io', Job: 'job.batch', CronJob: 'cronjob.batch',
      NetworkPolicy: 'networkpolicy.networking.k8s.io', Ingress: 'ingress.networking.k8s.io', IngressClass: 'ingressclass.networking.k8s.io',
      EndpointSlice: 'endpointslice.discovery.k8s.io', RuntimeClass: 'runtimeclass.node.k8s.io',
    }
    expect(RESOURCE_TYPES.map((r) => r.kind).sort()).to.deep.equal(Object.keys(EXPECTED).sort())
    const objs = [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }]
    for (const r of RESOURCE_TYPES) {
      expect(printObjects(r, objs, false, 'name', false), r.kind).to.equal(`${EXPECTED[r.kind]}/a\n${EXPECTED[r.kind]}/b`)
    }
    const ippools = resourcesOfCrd({ spec: { group: 'crd.projectcalico.org', scope: 'Cluster', names: { kind: 'IPPool', plural: 'ippools' }, versions: [{ name: 'v1', served: true }] } })
    expect(printObjects(ippools[0]!, [objs[0]!], true, 'name', false)).to.equal('ippool.crd.projectcalico.org/a')
  })

  it('prints DaemonSets and Deployments with kubectl\'s columns', () => {
    const created = new Date(Date.now() - 30_000).toISOString()
    const ds = { metadata: { name: 'calico-node', namespace: 'kube-system', creationTimestamp: created }, spec: { template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' } } } }, status: { desiredNumberScheduled: 5 } }
    expect(printTable(resourceByName('ds')!, [ds], false, true)).to.equal(
      'NAMESPACE     NAME          DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n'
      + 'kube-system   calico-node   5         0         0       0            0           kubernetes.io/os=linux   30s')
    const deploy = { metadata: { name: 'coredns', namespace: 'kube-system', creationTimestamp: created }, spec: { replicas: 2 } }
    expect(printTable(resourceByName('deploy')!, [deploy], false, false)).to.equal('NAME      READY   UP-TO-DATE   AVAILABLE   AGE\ncoredns   0/2     0            0           30s')
  })
})
