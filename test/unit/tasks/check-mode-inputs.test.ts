// A task whose input on the host is missing (a copy's source, an archive, the directory it unpacks into, a
// file whose attributes it sets): a real run fails naming it; a check run reports that the task would change
// and changes nothing, since the earlier task that makes the input (a download, a mkdir) changed nothing either.
// Each plan runs through the real batch protocol under /bin/sh on a scratch directory.

import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseParams } from '../../../src/engine/params.js'
import { buildBatch, parseBatch } from '../../../src/engine/step/batch.js'
import type { RemoteTaskType } from '../../../src/engine/task.js'
import type { StepOutput } from '../../../src/engine/step/types.js'
import { copy } from '../../../src/tasks/copy.js'
import { file } from '../../../src/tasks/file.js'
import { lineinfile } from '../../../src/tasks/lineinfile.js'
import { unarchive } from '../../../src/tasks/unarchive.js'
import { planContext } from './plan-context.js'

const where = { file: 'roles/x/tasks/main.yaml', line: 3 }

function run<P>(type: RemoteTaskType<P>, raw: Record<string, unknown>, check: boolean): StepOutput {
  const p = parseParams(type, raw, where, { templated: true })
  const batch = buildBatch([type.plan(p, planContext({ check }))], { check, diff: false })
  const r = spawnSync('/bin/sh', ['-s'], { input: batch.script })
  return parseBatch(r.stdout.toString(), r.stderr.toString(), batch)[0]!
}

/** Every path under dir, relative, sorted: what a run left behind. */
function tree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort()
}

describe('check mode: a task whose input an earlier task would make', () => {
  let dir: string
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ks-input-')) })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  const cases: Array<{ what: string; type: RemoteTaskType<any>; params: (d: string) => Record<string, unknown>; fails: RegExp; would: RegExp }> = [
    {
      what: 'copy with remote_src from a download not made',
      type: copy,
      params: (d) => ({ src: `${d}/releases/runc-1.2.9.amd64`, dest: `${d}/bin/runc`, mode: '0755', remote_src: true }),
      fails: /copy: source .*runc-1\.2\.9\.amd64 does not exist on the host/,
      would: /^copy .*runc-1\.2\.9\.amd64 to .*\/bin\/runc \(.*runc-1\.2\.9\.amd64 is not there yet\)$/,
    },
    {
      what: 'unarchive of an archive not downloaded',
      type: unarchive,
      params: (d) => ({ src: `${d}/releases/cni.tgz`, dest: d, remote_src: true }),
      fails: /archive .*cni\.tgz does not exist on the host/,
      would: /^extract .*cni\.tgz into .* \(.*cni\.tgz is not there yet\)$/,
    },
    {
      what: 'file attributes of a file not written',
      type: file,
      params: (d) => ({ path: `${d}/admin.conf`, mode: '0600' }),
      fails: /file .*admin\.conf does not exist \(use state: touch to create it\)/,
      would: /^set the attributes of .*admin\.conf/,
    },
    {
      what: 'a symlink to a target not made',
      type: file,
      params: (d) => ({ path: `${d}/link`, src: `${d}/target`, state: 'link' }),
      fails: /src file does not exist/,
      would: /^link .*\/link -> .*\/target/,
    },
    {
      what: 'lineinfile on a file an earlier task (kubeadm join) would write',
      type: lineinfile,
      params: (d) => ({ path: `${d}/kubelet.conf`, regexp: '^(\\s+)server: ', line: '\\1server: https://localhost:6443', backrefs: true }),
      fails: /kubelet\.conf does not exist \(set create: yes to create it\)/,
      would: /^edit .*kubelet\.conf \(.*kubelet\.conf is not there yet\)$/,
    },
  ]

  for (const c of cases) {
    it(`${c.what}: fails for real, would change in check mode, and changes nothing`, () => {
      const real = run(c.type, c.params(dir), false)
      expect(real.rc).to.equal(1)
      expect(real.stderr).to.match(c.fails)
      const checked = run(c.type, c.params(dir), true)
      expect(checked.rc, checked.stderr).to.equal(0)
      expect(checked.changes).to.have.length(1)
      expect(checked.changes[0]).to.match(c.would)
      expect(tree(dir)).to.deep.equal([])
    })
  }

  it('unarchive into a directory not made yet: fails for real, would change in check mode', () => {
    writeFileSync(join(dir, 'a.txt'), 'a')
    spawnSync('tar', ['-czf', join(dir, 'a.tgz'), '-C', dir, 'a.txt'])
    const params = { src: join(dir, 'a.tgz'), dest: join(dir, 'cni'), remote_src: true }
    expect(run(unarchive, params, false).stderr).to.match(/destination directory .*\/cni does not exist \(create it first\)/)
    const checked = run(unarchive, params, true)
    expect(checked.rc).to.equal(0)
    expect(checked.changes).to.deep.equal([`extract ${dir}/a.tgz into ${dir}/cni (${dir}/cni is not there yet)`])
    expect(tree(dir)).to.deep.equal(['a.tgz', 'a.txt'])
  })

  it('a validator an earlier task would install: a real run fails, a check run reports the file without validating it', () => {
    const params = { content: 'events {}\n', dest: join(dir, 'nginx.conf'), validate: 'kubeseed-no-such-nginx -t -c %s' }
    const real = run(copy, params, false)
    expect(real.rc).to.equal(1)
    expect(real.stderr).to.include('validation failed: kubeseed-no-such-nginx -t -c %s')
    const checked = run(copy, params, true)
    expect(checked.rc).to.equal(0)
    expect(checked.stdout).to.include('not validated: kubeseed-no-such-nginx is not installed yet')
    expect(checked.changes).to.deep.equal([`create ${dir}/nginx.conf`])
    expect(tree(dir)).to.deep.equal([])
    // An installed validator still judges the content in check mode.
    expect(run(copy, { ...params, validate: 'false %s' }, true).stderr).to.include('validation failed: false %s')
  })

  it('an input that is there is planned as before: check mode reports only the real difference', () => {
    mkdirSync(join(dir, 'releases'))
    writeFileSync(join(dir, 'releases', 'runc'), 'runc')
    const params = { src: join(dir, 'releases', 'runc'), dest: join(dir, 'runc'), mode: '0755', remote_src: true }
    expect(run(copy, params, true).changes).to.deep.equal([`create ${dir}/runc`])
    expect(run(copy, params, false).changes).to.deep.equal([`create ${dir}/runc`])
    expect(run(copy, params, true).changes).to.deep.equal([])
  })
})
