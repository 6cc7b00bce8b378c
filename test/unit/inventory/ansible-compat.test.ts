// Our inventory reader against the real ansible-inventory on the same inputs: same groups, same
// hosts in the same order, same merged vars value for value and type for type.
import { expect } from 'chai'
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pLimit from 'p-limit'
import { ansibleJson, toAnsibleGraph, toAnsibleHost, toAnsibleList } from '../../../src/engine/inventory/ansible-output.js'
import { canonicalTyped, parseTypedJson } from '../../harness/typed-json.js'
import { loadInventory } from '../../../src/engine/inventory/load.js'
import { selectHosts } from '../../../src/engine/inventory/pattern.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/inventory/', import.meta.url))

interface Case {
  name: string
  paths: string[]
  /** compare `--graph --vars` too (not where a var is a YAML date: Python prints datetime objects) */
  graphVars: boolean
  hosts: string[]
  patterns: string[]
  /**
   * Patterns whose order Ansible itself does not fix: it walks groups two or more levels below
   * the matched group in Python set order, which changes from run to run. Compared as sets.
   */
  unordered?: string[]
}

const CASES: Case[] = [
  {
    name: 'INI typing, ranges, ports, children',
    paths: ['ini-basic/hosts'],
    graphVars: true,
    hosts: ['lonely', 'web-01', 'dual'],
    patterns: ['all', 'web', 'web:db', 'web,db', 'backend:&db', 'backend:!db', 'web[0]', 'web[-1]', 'web[1:3]', 'web[10:]', 'step-*', '~w-[ab]', 'web:!web-0*:&backend', 'ungrouped', 'lonely:db2', '!db', '*.example.com', 'late'],
    unordered: ['all', '!db'],
  },
  {
    name: 'YAML nesting, group_vars/host_vars files and dirs, priorities',
    paths: ['yaml-nested/hosts.yml'],
    graphVars: false,
    hosts: ['r-2', 'wk02', 'special', 'n1'],
    patterns: ['all', 'rack', 'region', 'workers:high', 'workers:&high:!low', 'rack[1:]', 'wk*', 'all:!region', 'ungrouped'],
  },
  { name: 'directory inventory', paths: ['dir-inventory'], graphVars: true, hosts: ['cp1', 'rr1'], patterns: ['k8s_cluster', 'etcd:calico_rr', 'kube_node[0]'] },
  { name: 'directory with kubespray artifacts', paths: ['kubespray-artifacts'], graphVars: true, hosts: ['cp1'], patterns: ['all', 'ungrouped', 'k8s_cluster'] },
  { name: 'several inventory sources', paths: ['multi-source/a/hosts', 'multi-source/b/hosts.yml'], graphVars: true, hosts: ['app2'], patterns: ['app', 'app[1]'] },
  {
    name: 'floats: INI through literal_eval, YAML floats and infinities',
    paths: ['floats/hosts.ini', 'floats/hosts.yml'],
    graphVars: true,
    hosts: ['f1', 'f2'],
    patterns: ['all', 'ini', 'yaml'],
  },
  { name: 'kubespray sample', paths: ['kubespray-sample/inventory.ini'], graphVars: true, hosts: ['node1', 'node5'], patterns: ['etcd', 'kube_node:kube_control_plane', 'kube_control_plane[0]'] },
]

// Runs Ansible's own InventoryManager for many patterns in one process (ansible-inventory has no pattern mode).
const PATTERN_SCRIPT = `
import json, sys
from ansible.parsing.dataloader import DataLoader
from ansible.inventory.manager import InventoryManager
inv = InventoryManager(loader=DataLoader(), sources=json.loads(sys.argv[1]))
out = {}
for p in json.loads(sys.argv[2]):
    try:
        out[p] = [h.name for h in inv.get_hosts(p)]
    except Exception as e:
        out[p] = 'error: %s' % e
print(json.dumps(out))
`

describe('inventory: compatibility with ansible-inventory', function () {
  // ansible-inventory takes seconds per call; on a busy machine the 24 calls take minutes
  this.timeout(360_000)
  const results = new Map<string, string>()
  let home: string

  before(async function () {
    const probe = spawnSync('ansible-inventory', ['--version'], { encoding: 'utf8' })
    if (probe.error || probe.status !== 0) {
      throw new Error('ansible-inventory is not on PATH: install ansible-core (apt-get install ansible-core) to run the inventory compatibility tests')
    }
    // the Python that runs ansible-inventory is the one that can import ansible
    const which = spawnSync('sh', ['-c', 'command -v ansible-inventory'], { encoding: 'utf8' }).stdout.trim()
    const python = /^#!\s*(\S+)/.exec(readFileSync(which, 'utf8'))?.[1] ?? 'python3'
    home = mkdtempSync(join(tmpdir(), 'kubeseed-ansible-home-'))
    const env = { ...process.env, HOME: home, ANSIBLE_INVENTORY_UNPARSED_WARNING: 'False', ANSIBLE_LOCALHOST_WARNING: 'False', ANSIBLE_NOCOLOR: '1' }
    const run = (cmd: string, args: string[]): Promise<string> =>
      new Promise((resolve, reject) => {
        execFile(cmd, args, { env, cwd: FIXTURES, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr || err.message}`))
          else resolve(stdout)
        })
      })
    const limit = pLimit(3)
    const jobs: Promise<void>[] = []
    const job = (key: string, cmd: string, args: string[]): void => {
      jobs.push(limit(async () => void results.set(key, await run(cmd, args))))
    }
    for (const c of CASES) {
      const inv = c.paths.flatMap((p) => ['-i', p])
      job(`${c.name}/list`, 'ansible-inventory', [...inv, '--list'])
      job(`${c.name}/graph`, 'ansible-inventory', [...inv, '--graph', ...(c.graphVars ? ['--vars'] : [])])
      job(`${c.name}/host`, 'ansible-inventory', [...inv, '--host', c.hosts[0]!])
      job(`${c.name}/patterns`, python, ['-c', PATTERN_SCRIPT, JSON.stringify(c.paths.map((p) => join(FIXTURES, p))), JSON.stringify(c.patterns)])
    }
    await Promise.all(jobs)
  })

  after(() => {
    if (home) rmSync(home, { recursive: true, force: true })
  })

  for (const c of CASES) {
    describe(c.name, () => {
      const load = () => loadInventory(c.paths.map((p) => join(FIXTURES, p)), { implicitClusterGroup: false })

      // Compared with Python's types kept (typed-json.ts): a float read as an int is a difference.
      it('--list: same groups, members and merged host vars, type for type', () => {
        const want = canonicalTyped(parseTypedJson(results.get(`${c.name}/list`)!))
        expect(canonicalTyped(parseTypedJson(ansibleJson(toAnsibleList(load()))))).to.equal(want)
      })

      it(`--graph${c.graphVars ? ' --vars' : ''}: same text`, () => {
        expect(toAnsibleGraph(load(), 'all', c.graphVars)).to.equal(results.get(`${c.name}/graph`)!.trimEnd())
      })

      it(`--host ${c.hosts[0]}: same vars, type for type`, () => {
        const want = canonicalTyped(parseTypedJson(results.get(`${c.name}/host`)!))
        expect(canonicalTyped(parseTypedJson(ansibleJson(toAnsibleHost(load(), c.hosts[0]!))))).to.equal(want)
      })

      it('host patterns select the same hosts in the same order', () => {
        const want = JSON.parse(results.get(`${c.name}/patterns`)!) as Record<string, string[] | string>
        const inv = load()
        for (const p of c.patterns) {
          expect(want[p], `ansible on pattern ${p}`).to.be.an('array')
          const got = selectHosts(inv, p)
          if (c.unordered?.includes(p)) expect(got, `pattern ${p}`).to.have.members(want[p] as string[])
          else expect(got, `pattern ${p}`).to.deep.equal(want[p])
        }
      })

      it('every host has its ansible vars under --host for the other sample hosts too', () => {
        const list = parseTypedJson(results.get(`${c.name}/list`)!)
        const hostvars = list.t === 'dict' && list.v._meta?.t === 'dict' ? list.v._meta.v.hostvars : undefined
        if (hostvars?.t !== 'dict') throw new Error('ansible-inventory --list has no _meta.hostvars')
        const inv = load()
        for (const h of c.hosts.slice(1)) {
          const want = hostvars.v[h] ? canonicalTyped(hostvars.v[h]!) : '{}'
          expect(canonicalTyped(parseTypedJson(ansibleJson(toAnsibleHost(inv, h)))), h).to.equal(want)
        }
      })
    })
  }
})
