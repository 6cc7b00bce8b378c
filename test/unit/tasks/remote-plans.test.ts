// Every remote task type, planned from a table of (params, facts): the script is valid POSIX sh, hostile
// values stay quoted, and type-specific properties hold.

import { expect } from 'chai'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildBatch, parseBatch } from '../../../src/engine/step/batch.js'
import { LocalConnection } from '../../../src/engine/transport/local.js'
import { parseParams } from '../../../src/engine/params.js'
import type { RemoteTaskType } from '../../../src/engine/task.js'
import { taskType } from '../../../src/tasks/index.js'
import { planContext } from './plan-context.js'
import { shSyntaxError } from './sh-syntax.js'

const where = { file: 'p.yaml', line: 1 }
const EVIL = `x'$(touch /tmp/ks-pwned)\`id\`"; reboot #`

interface Case {
  type: string
  params: Record<string, unknown> | string
  facts?: Record<string, unknown>
  includes?: string[]
  excludes?: string[]
}

const cases: Case[] = [
  { type: 'file', params: { path: `/etc/${EVIL}`, state: 'directory', mode: '0755', owner: EVIL, recurse: true } },
  { type: 'file', params: { path: `/etc/${EVIL}`, state: 'link', src: EVIL, force: true, owner: 'root' } },
  { type: 'file', params: { path: `/etc/${EVIL}`, state: 'hard', src: EVIL } },
  { type: 'file', params: { path: `/etc/${EVIL}`, state: 'absent' }, includes: ['rm -rf'] },
  { type: 'file', params: { path: `/etc/${EVIL}`, state: 'touch' } },
  { type: 'file', params: `path=/etc/x state=directory mode=0700`, includes: ["ks_attrs /etc/x 0700 '' ''"] },
  { type: 'blockinfile', params: { path: `/etc/${EVIL}`, block: EVIL, marker: `# {mark} ${EVIL}`, insertbefore: '^\\s*x' } },
  { type: 'sysctl', params: { name: 'net.ipv4.ip_forward', value: 1 }, includes: ['/etc/sysctl.d/99-sysctl.conf', 'sysctl -q -w net.ipv4.ip_forward=1'] },
  { type: 'sysctl', params: { name: 'net.core.somaxconn', value: EVIL, sysctl_file: `/etc/${EVIL}` } },
  { type: 'modprobe', params: { name: 'br_netfilter', params: EVIL, persistent: 'present' }, includes: ['/sys/module/br_netfilter', '/etc/modules-load.d/br_netfilter.conf'] },
  { type: 'modprobe', params: { name: 'ip_vs', state: 'absent', persistent: 'absent' }, includes: ['modprobe -r ip_vs'] },
  { type: 'swap', params: {}, includes: ['swapoff -a', '/etc/fstab'] },
  { type: 'hostname', params: { name: 'node-1' }, facts: { ks_systemd_running: true }, includes: ['hostnamectl set-hostname node-1'] },
  { type: 'hostname', params: { name: 'node-1' }, facts: { ks_systemd_running: false }, includes: ['/etc/hostname'], excludes: ['hostnamectl'] },
  { type: 'package', params: { name: ['containerd.io=1.7.*', 'socat'], update_cache: true, cache_valid_time: 3600 }, facts: { pkg_mgr: 'apt' }, includes: ['DEBIAN_FRONTEND=noninteractive', 'dpkg-query', '3600', 'apt-get install failed: $_kdo$(ks_from)'] },
  { type: 'package', params: { name: ['kubelet-1.31.2', 'socat'], state: 'latest' }, facts: { pkg_mgr: 'dnf' }, includes: ['rpm -q kubelet-1.31.2 socat', 'dnf -q check-update'], excludes: ['dpkg'] },
  { type: 'apt', params: { name: 'socat', state: 'absent' }, facts: { pkg_mgr: 'apt' }, includes: ['remove'] },
  { type: 'get_url', params: { url: `https://example.com/${encodeURIComponent(EVIL)}`, dest: `/usr/local/bin/${EVIL}`, checksum: `sha256:${'ab'.repeat(32)}`, headers: { Authorization: EVIL } }, includes: ['ab'.repeat(32)] },
  { type: 'get_url', params: { url: 'https://dl.k8s.io/v1.31.2/bin/linux/amd64/kubeadm', dest: '/usr/local/bin/', checksum_waived: true }, includes: ['/usr/local/bin/kubeadm'] },
  { type: 'get_url', params: { url: 'https://deploy:pa55word@mirror/x', dest: '/x', checksum_waived: true, headers: { Authorization: 'Bearer t0ken' } }, includes: ['--config "$KS_P0"', 'https://deploy:***@mirror/x'], excludes: ['pa55word', 't0ken'] },
  { type: 'unarchive', params: { src: `/tmp/${EVIL}.tgz`, dest: `/opt/${EVIL}`, remote_src: true, extra_opts: ['--strip-components=1', EVIL] }, includes: ['/var/lib/kubeseed/unarchive/'] },
  { type: 'stat', params: { path: `/etc/${EVIL}`, checksum_algorithm: 'sha256' }, includes: ['sha256sum'] },
  { type: 'slurp', params: { src: `/etc/${EVIL}` }, includes: ['base64 -w 0'] },
  { type: 'fetch', params: { src: `/etc/${EVIL}`, dest: '/tmp/out' } },
  { type: 'wait_for', params: { host: EVIL, port: 6443, timeout: 60 }, includes: ['nc -z', 'telnet://'] },
  { type: 'wait_for', params: { path: `/etc/${EVIL}`, search_regex: '\\d+', state: 'present' }, includes: ["grep -Eq '[0-9]+'"] },
  { type: 'wait_for', params: { port: 10250, state: 'stopped' } },
  { type: 'systemd', params: { name: EVIL, state: 'started', enabled: true, daemon_reload: true } },
  { type: 'service', params: { name: EVIL, state: 'restarted' } },
  { type: 'command', params: { argv: ['kubeadm', EVIL], creates: `/etc/${EVIL}`, chdir: EVIL, stdin: EVIL } },
  { type: 'shell', params: { cmd: EVIL, removes: `/tmp/*${EVIL}` } },
  { type: 'copy', params: { content: EVIL, dest: `/etc/${EVIL}`, owner: EVIL, validate: 'visudo -cf %s' }, includes: ['ks_put "$KS_P0"'] },
  { type: 'copy', params: { content: 'token', dest: '/etc/k.key', mode: '0600', owner: 'root', group: 'root' }, includes: [`ks_put "$KS_P0" /etc/k.key 0600 root root`] },
  { type: 'template', params: { src: 't.hbs', dest: `/etc/${EVIL}` }, includes: ['ks_put "$KS_P0"'] },
  { type: 'lineinfile', params: { path: `/etc/${EVIL}`, regexp: '^x=', line: EVIL, backrefs: true } },
]

/**
 * The script's text outside single quotes and backslash escapes: what the shell would still expand.
 * Tracks "..." and $(...) nesting, since single quotes quote again inside a $(...) within double quotes.
 */
function unquotedText(script: string): string {
  let out = ''
  const stack: Array<'top' | 'dq' | 'cmd'> = ['top']
  for (let i = 0; i < script.length; i++) {
    const c = script[i]
    const ctx = stack[stack.length - 1]
    if (c === '\\') { i++; continue }
    if (c === "'" && ctx !== 'dq') {
      const end = script.indexOf("'", i + 1)
      i = end < 0 ? script.length : end
      continue
    }
    if (c === '$' && script[i + 1] === '(') { stack.push('cmd'); out += '$('; i++; continue }
    if (c === ')' && ctx === 'cmd') stack.pop()
    else if (c === '"' && ctx === 'dq') stack.pop()
    else if (c === '"') stack.push('dq')
    out += c
  }
  return out
}

describe('remote task planning (table)', () => {
  for (const c of cases) {
    const label = `${c.type} ${typeof c.params === 'string' ? c.params : JSON.stringify(c.params).slice(0, 90)}`
    it(label, () => {
      const t = taskType(c.type) as RemoteTaskType
      expect(t?.kind).to.equal('remote')
      const p = parseParams(t, c.params, where, { templated: true })
      const ctx = planContext({ facts: c.facts, templates: { 't.hbs': EVIL } })
      const step = t.plan(p, ctx)
      expect(shSyntaxError(step.script)).to.equal(undefined)
      // The hostile string never appears unquoted: wherever it occurs, it is inside single quotes.
      const unquoted = unquotedText(step.script)
      expect(unquoted).not.to.include('$(touch')
      expect(unquoted).not.to.include('`id`')
      // Temporary files come from mktemp, never from a name another user could predict and plant.
      expect(step.script).not.to.match(/kubeseed-(\$\$|link)/)
      for (const s of c.includes ?? []) expect(step.script).to.include(s)
      for (const s of c.excludes ?? []) expect(step.script).not.to.include(s)
    })
  }
})

describe('parameter checks of remote types', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['get_url', { url: 'https://x/y', dest: '/y' }, /has no checksum/],
    ['get_url', { url: 'https://x/y', dest: '/y', checksum: 'md5:abc' }, /not sha256/],
    ['get_url', { url: 'x/y', dest: '/y', checksum_waived: true }, /not an http/],
    ['file', { path: '/x', state: 'link' }, /needs "src"/],
    ['file', { path: '/x', state: 'file', recurse: true }, /recurse only works/],
    ['sysctl', { name: 'net.ipv4.ip_forward' }, /needs a value/],
    ['modprobe', { name: 'br netfilter' }, /not a module name/],
    ['hostname', { name: 'bad_name!' }, /not a valid host name/],
    ['wait_for', { timeout: 3 }, /exactly one of "port" and "path"/],
    ['blockinfile', { path: '/x', marker: '# kubeseed' }, /has no \{mark\}/],
    ['unarchive', { src: 'https://x/a.tgz', dest: '/opt' }, /is a URL/],
    ['package', { name: [] }, /no package names/],
  ]
  for (const [type, raw, re] of bad) {
    it(`${type} refuses ${JSON.stringify(raw)}`, () => {
      expect(() => parseParams(taskType(type)!, raw, where, { templated: true })).to.throw(re)
    })
  }

  it('package fails at plan time on a host without apt or dnf', () => {
    const t = taskType('package') as RemoteTaskType
    const p = parseParams(t, { name: 'x' }, where, { templated: true })
    expect(() => t.plan(p, planContext({ facts: { pkg_mgr: 'unknown' } }))).to.throw(/no supported package manager/)
  })

  it('package maps installed/removed to present/absent', () => {
    const t = taskType('package')!
    expect(parseParams(t, { name: 'x', state: 'installed' }, where, { templated: true })).to.include({ state: 'present' })
  })
})

describe('file writers run for real (local shell)', () => {
  // Each writer makes a secret file 0600 owned by nobody: the result has exactly that, nothing is left
  // beside it, and a second run changes nothing.
  const writers: Array<[string, (dest: string) => Record<string, unknown>]> = [
    ['copy', (dest) => ({ content: 'token\n', dest })],
    ['template', (dest) => ({ src: 't.hbs', dest })],
    ['lineinfile', (dest) => ({ path: dest, line: 'token', create: true })],
    ['blockinfile', (dest) => ({ path: dest, block: 'token', create: true })],
    ['get_url', (dest) => ({ url: `file://${dest}.src`, dest, checksum_waived: true })],
  ]
  for (const [type, params] of writers) {
    it(`${type} writes a 0600 file owned by its owner, with no temporary file left`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ks-writer-'))
      try {
        const dest = join(dir, 'secret.conf')
        writeFileSync(`${dest}.src`, 'token\n')
        const t = taskType(type) as RemoteTaskType
        const p = parseParams(t, { ...params(dest), mode: '0600', owner: 'nobody', group: 'nogroup' }, where, { templated: true })
        const step = t.plan(p, planContext({ templates: { 't.hbs': 'token\n' } }))
        const run = async () => {
          const batch = buildBatch([step], { check: false, diff: false })
          const r = await new LocalConnection('local').exec({ script: batch.script })
          return parseBatch(r.stdout.toString(), r.stderr.toString(), batch)[0]
        }
        const first = await run()
        expect(first.rc, first.stderr).to.equal(0)
        expect(first.changes.length).to.be.greaterThan(0)
        expect(readFileSync(dest, 'utf8')).to.include('token')
        expect(execFileSync('stat', ['-c', '%a %U:%G', dest], { encoding: 'utf8' }).trim()).to.equal('600 nobody:nogroup')
        expect(readdirSync(dir).sort()).to.deep.equal(['secret.conf', 'secret.conf.src'])
        const second = await run()
        expect(second.changes).to.deep.equal([])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })
  }

  it('get_url gives the download its final mode and owner before the first byte arrives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-writer-'))
    const fifo = join(dir, 'src.fifo')
    execFileSync('mkfifo', [fifo])
    const dest = join(dir, 'secret.key')
    const t = taskType('get_url') as RemoteTaskType
    const p = parseParams(t, { url: `file://${fifo}`, dest, checksum_waived: true, mode: '0600', owner: 'nobody' }, where, { templated: true })
    const batch = buildBatch([t.plan(p, planContext())], { check: false, diff: false })
    const running = new LocalConnection('local').exec({ script: batch.script })
    try {
      let temp: string | undefined
      for (let i = 0; i < 300 && !temp; i++) {
        const name = readdirSync(dir).find((n) => n.startsWith('.secret.key.kubeseed-'))
        // The file exists from mktemp on; wait until chown has run, i.e. curl is reading the FIFO.
        if (name && execFileSync('stat', ['-c', '%U', join(dir, name)], { encoding: 'utf8' }).trim() === 'nobody') temp = name
        else await new Promise((r) => setTimeout(r, 10))
      }
      expect(temp, 'the temporary download file appears with its owner').to.be.a('string')
      expect(execFileSync('stat', ['-c', '%a %s', join(dir, temp!)], { encoding: 'utf8' }).trim()).to.equal('600 0')
      writeFileSync(fifo, 'KEY\n')
      const r = await running
      expect(r.code).to.equal(0)
      expect(readFileSync(dest, 'utf8')).to.equal('KEY\n')
    } finally {
      await Promise.race([running, new Promise((r) => setTimeout(r, 100))])
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
