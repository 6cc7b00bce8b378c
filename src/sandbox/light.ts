// Light test hosts: each is an sshd in its own mount/uts/pid namespace, chrooted into its own overlay of the
// sandbox root filesystem, listening on its own loopback address. No systemd, no network namespace: cheap
// enough to run 50 of them on 2 cores, real enough that SSH, sudo and file-writing tasks behave as on a server.

import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { appendFileSync, chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dump } from 'js-yaml'
import { ensureRootfs } from './rootfs.js'
import { quote, shellJoin } from '../engine/quote.js'
import { tryLock } from './lock.js'
import { run } from './host-command.js'
import { formatIPv4, parseIPv4 } from '../engine/ip-address.js'

/** The sudo password of the `deploy` user on every light host. */
export const DEPLOY_PASSWORD = 'deploy-pass'

export interface LightUser {
  name: string
  /** `password`: sudo asks for the user's password; `nopasswd`: sudo -n works; `none`: no sudo at all. */
  sudo: 'password' | 'nopasswd' | 'none'
  /** Login and sudo password (needed for `sudo: password`). */
  password?: string
}

export const DEFAULT_LIGHT_USERS: LightUser[] = [
  { name: 'deploy', sudo: 'password', password: DEPLOY_PASSWORD },
  { name: 'nopass', sudo: 'nopasswd' },
]

export interface LightOptions {
  count: number
  /** Host name prefix: hosts are `${name}1` .. `${name}N`. Default `node`. */
  name?: string
  /** First loopback address; the others follow it. Default: the first free block from 127.0.2.1 on. */
  baseAddress?: string
  /** Non-root users on every host (root always logs in with the cluster key). */
  users?: LightUser[]
  /** Extra inventory groups: group name -> host names. */
  groups?: Record<string, string[]>
  /** Parent of the state directory (default: the system temp dir). */
  stateParent?: string
  /** Progress lines. */
  log?: (line: string) => void
}

export interface LightHost {
  name: string
  address: string
  port: number
  /** The host's root filesystem as seen from this machine (its overlay mount). */
  root: string
}

export interface LightCluster {
  hosts: LightHost[]
  /** ed25519 client key (mode 0600) accepted for root and every user. */
  keyFile: string
  /** known_hosts with every host's key, so host key checking stays strict. */
  knownHostsFile: string
  /** YAML inventory of the hosts (root, the key file and the become password for `deploy`). */
  inventoryFile: string
  stateDir: string
  users: LightUser[]
  host(name: string): LightHost
  stopSshd(host: LightHost | string): Promise<void>
  startSshd(host: LightHost | string): Promise<void>
  /** New host key, sshd restarted; knownHostsFile keeps the old key. */
  rotateHostKey(host: LightHost | string): Promise<void>
  stop(): Promise<void>
}

interface HostState extends LightHost {
  dir: string
  proc?: ChildProcess
  pid1?: number
  exited?: Promise<void>
}

const LOCK_DIR = join(tmpdir(), 'kubeseed-light-locks')
const READY_TIMEOUT_MS = 30_000

export function lightAddresses(base: string, count: number): string[] {
  const first = parseIPv4(base)
  if (first === undefined) throw new Error(`${base} is not an IPv4 address`)
  const last = first + count - 1
  if (first >>> 24 !== 127 || last >>> 24 !== 127 || (first & 255) === 0) {
    throw new Error(`light hosts need loopback addresses: ${base} + ${count} leaves 127.0.0.0/8 or starts at .0`)
  }
  return Array.from({ length: count }, (_, i) => formatIPv4(first + i))
}

/** One lock file per /24 block: two clusters of this machine never share addresses. */
function claimBlocks(addresses: string[]): string[] | undefined {
  mkdirSync(LOCK_DIR, { recursive: true })
  const blocks = [...new Set(addresses.map((a) => a.split('.').slice(0, 3).join('.')))]
  const taken: string[] = []
  for (const block of blocks) {
    const file = join(LOCK_DIR, `${block}.lock`)
    if (tryLock(file) !== 'taken') {
      for (const t of taken) rmSync(t, { force: true })
      return undefined
    }
    taken.push(file)
  }
  return taken
}

function answers(address: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: address, port })
    const done = (v: boolean) => { s.destroy(); resolve(v) }
    s.setTimeout(timeoutMs, () => done(false))
    s.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')))
    s.once('error', () => done(false))
  })
}

async function pickAddresses(opts: LightOptions): Promise<{ addresses: string[]; locks: string[] }> {
  const bases = opts.baseAddress ? [opts.baseAddress] : Array.from({ length: 200 }, (_, i) => `127.0.${2 + i}.1`)
  for (const base of bases) {
    const addresses = lightAddresses(base, opts.count)
    const locks = claimBlocks(addresses)
    if (!locks) continue
    const busy = (await Promise.all(addresses.map((a) => answers(a, 22, 200)))).some(Boolean)
    if (!busy) return { addresses, locks }
    for (const l of locks) rmSync(l, { force: true })
  }
  throw new Error(opts.baseAddress
    ? `loopback addresses from ${opts.baseAddress} are in use by another sshd: pick another baseAddress`
    : 'no free block of loopback addresses for light hosts (127.0.2.0 - 127.0.201.255)')
}

/** Users, sudo rules and sshd settings shared by all hosts: built once per cluster as an overlay layer. */
async function buildCommonLayer(rootfs: string, dir: string, users: LightUser[]): Promise<string> {
  const upper = join(dir, 'upper')
  const work = join(dir, 'work')
  const mnt = join(dir, 'mnt')
  for (const d of [upper, work, mnt]) mkdirSync(d, { recursive: true })
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${rootfs},upperdir=${upper},workdir=${work}`, mnt])
  try {
    const lines: string[] = []
    for (const u of users) {
      lines.push(shellJoin(['useradd', '--create-home', '--shell', '/bin/bash', u.name]))
      if (u.password) lines.push(`printf '%s\\n' ${quote(`${u.name}:${u.password}`)} | chpasswd`)
      if (u.sudo !== 'none') {
        const rule = `${u.name} ALL=(ALL:ALL) ${u.sudo === 'nopasswd' ? 'NOPASSWD: ' : ''}ALL`
        lines.push(`printf '%s\\n' ${quote(rule)} > ${quote(`/etc/sudoers.d/light-${u.name}`)}`)
        lines.push(`chmod 0440 ${quote(`/etc/sudoers.d/light-${u.name}`)}`)
      }
    }
    await run('chroot', [mnt, '/bin/sh', '-ec', lines.join('\n')])
  } finally {
    await run('umount', [mnt])
  }
  rmSync(work, { recursive: true, force: true })
  rmSync(mnt, { recursive: true, force: true })
  return upper
}

interface Account { home: string; uid: number; gid: number }

function accounts(passwdFile: string, names: string[]): Account[] {
  const entries = readFileSync(passwdFile, 'utf8').split('\n').map((l) => l.split(':'))
  return names.map((n) => {
    const e = entries.find((f) => f[0] === n)
    if (!e) throw new Error(`user ${n} missing from ${passwdFile}`)
    return { uid: Number(e[2]), gid: Number(e[3]), home: e[5]! }
  })
}

function authorize(root: string, a: Account, pubKey: string): void {
  const ssh = join(root, a.home, '.ssh')
  mkdirSync(ssh, { recursive: true, mode: 0o700 })
  const keys = join(ssh, 'authorized_keys')
  writeFileSync(keys, pubKey, { mode: 0o600 })
  chownSync(ssh, a.uid, a.gid)
  chownSync(keys, a.uid, a.gid)
}

async function writeHostKey(h: HostState): Promise<string> {
  const key = join(h.root, 'etc/ssh/ssh_host_ed25519_key')
  rmSync(key, { force: true })
  rmSync(`${key}.pub`, { force: true })
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `root@${h.name}`, '-f', key])
  const [type, blob] = readFileSync(`${key}.pub`, 'utf8').trim().split(/\s+/)
  return `${h.address} ${type} ${blob}\n`
}

function childPid(parent: number): number | undefined {
  try {
    const text = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim()
    return text ? Number(text.split(/\s+/)[0]) : undefined
  } catch {
    return undefined
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

async function launch(h: HostState): Promise<void> {
  const r = h.root
  // Inside the new namespaces: private /dev, /proc and /run mounts vanish with the namespace.
  const script = [
    shellJoin(['hostname', h.name]),
    shellJoin(['mount', '--rbind', '/dev', join(r, 'dev')]),
    shellJoin(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', join(r, 'run')]),
    shellJoin(['mkdir', '-p', join(r, 'run/sshd')]),
    `exec ${shellJoin(['chroot', r, '/usr/sbin/sshd', '-D', '-e', '-o', `ListenAddress=${h.address}`,
      '-o', 'PasswordAuthentication=yes'])}`,
  ].join('\n')
  const logFd = openSync(join(h.dir, 'sshd.log'), 'a')
  const proc = spawn('unshare', ['--mount', '--uts', '--pid', '--fork', '--kill-child', `--mount-proc=${join(r, 'proc')}`,
    '/bin/sh', '-ec', script], { stdio: ['ignore', logFd, logFd] })
  closeSync(logFd)
  h.proc = proc
  h.pid1 = undefined
  h.exited = new Promise((resolve) => proc.once('exit', () => resolve()))
  const deadline = Date.now() + READY_TIMEOUT_MS
  let gone = false
  proc.once('exit', () => { gone = true })
  for (;;) {
    h.pid1 ??= childPid(proc.pid!)
    if (gone) {
      const log = readFileSync(join(h.dir, 'sshd.log'), 'utf8').trim().split('\n').slice(-3).join(' | ')
      throw new Error(`sshd of light host ${h.name} (${h.address}) exited: ${log}`)
    }
    if (h.pid1 && await answers(h.address, h.port)) return
    if (Date.now() > deadline) throw new Error(`sshd of light host ${h.name} (${h.address}) did not answer within ${READY_TIMEOUT_MS / 1000}s`)
    await sleep(50)
  }
}

/** Killing the namespace's pid 1 kills every process in it; unshare exits once it is reaped. */
async function halt(h: HostState): Promise<void> {
  if (!h.proc || h.proc.exitCode !== null || h.proc.signalCode !== null) { h.proc = undefined; return }
  const pid1 = h.pid1 ?? childPid(h.proc.pid!)
  if (pid1) { try { process.kill(pid1, 'SIGKILL') } catch { /* already gone */ } }
  else h.proc.kill('SIGKILL')
  await h.exited
  h.proc = undefined
  h.pid1 = undefined
}

async function unmount(path: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try { await run('umount', [path]); return } catch {
      if (!isMounted(path)) return
      await sleep(100)
    }
  }
  await run('umount', ['-l', path])
}

function isMounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8').split('\n').some((l) => l.split(' ')[1] === path)
}

const live = new Set<() => void>()
let exitHookInstalled = false

/** Last resort when the test process ends without stop(): no sshd and no mount may outlive it. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => { for (const f of live) f() })
}

/** How the hosts go away: `stop` in order, `syncCleanup` at once when the process exits without it. */
function cleanups(hosts: HostState[], stateDir: string, locks: string[]): { syncCleanup: () => void; stop: () => Promise<void> } {
  let stopped = false
  const syncCleanup = () => {
    for (const h of hosts) {
      const pid = h.pid1 ?? (h.proc?.pid ? childPid(h.proc.pid) : undefined)
      if (pid) { try { process.kill(pid, 'SIGKILL') } catch { /* gone */ } }
      h.proc?.kill('SIGKILL')
    }
    for (const h of hosts) {
      if (isMounted(h.root)) { try { execFileSync('umount', ['-l', h.root]) } catch { /* best effort */ } }
    }
    rmSync(stateDir, { recursive: true, force: true })
    for (const l of locks) rmSync(l, { force: true })
  }
  const stop = async (): Promise<void> => {
    if (stopped) return
    stopped = true
    live.delete(syncCleanup)
    await Promise.all(hosts.map(halt))
    await Promise.all(hosts.filter((h) => isMounted(h.root)).map((h) => unmount(h.root)))
    rmSync(stateDir, { recursive: true, force: true })
    for (const l of locks) rmSync(l, { force: true })
  }
  return { syncCleanup, stop }
}

/** Mounts the host's overlay over `lower` (top first), names it and lets the logins in; its known_hosts line. */
async function prepareHostRoot(h: HostState, lower: string[], logins: Parameters<typeof authorize>[1][], pubKey: string): Promise<string> {
  for (const d of ['upper', 'work', 'root']) mkdirSync(join(h.dir, d), { recursive: true })
  await run('mount', ['-t', 'overlay', 'overlay', '-o',
    `lowerdir=${lower.join(':')},upperdir=${join(h.dir, 'upper')},workdir=${join(h.dir, 'work')}`, h.root])
  writeFileSync(join(h.root, 'etc/hostname'), `${h.name}\n`)
  appendFileSync(join(h.root, 'etc/hosts'), `${h.address}\t${h.name}\n`)
  for (const a of logins) authorize(h.root, a, pubKey)
  return writeHostKey(h)
}

function clusterHandle(
  hosts: HostState[],
  files: Pick<LightCluster, 'keyFile' | 'knownHostsFile' | 'inventoryFile' | 'stateDir' | 'users'>,
  stop: () => Promise<void>,
): LightCluster {
  const find = (h: LightHost | string): HostState => {
    const name = typeof h === 'string' ? h : h.name
    const found = hosts.find((x) => x.name === name)
    if (!found) throw new Error(`no light host named ${name}`)
    return found
  }
  return {
    hosts: hosts.map(({ name, address, port, root }) => ({ name, address, port, root })),
    ...files,
    host: (name) => {
      const { address, port, root } = find(name)
      return { name, address, port, root }
    },
    stopSshd: (h) => halt(find(h)),
    startSshd: async (h) => {
      const s = find(h)
      if (!s.proc) await launch(s)
    },
    rotateHostKey: async (h) => {
      const s = find(h)
      await halt(s)
      await writeHostKey(s)
      await launch(s)
    },
    stop,
  }
}

export async function startLightHosts(opts: LightOptions): Promise<LightCluster> {
  if (!Number.isInteger(opts.count) || opts.count < 1) throw new Error('count must be a positive integer')
  const log = opts.log ?? (() => {})
  const prefix = opts.name ?? 'node'
  const users = opts.users ?? DEFAULT_LIGHT_USERS
  const rootfs = await ensureRootfs(log)
  const { addresses, locks } = await pickAddresses(opts)
  const stateDir = mkdtempSync(join(opts.stateParent ?? tmpdir(), 'kubeseed-light-'))
  const hosts: HostState[] = addresses.map((address, i) => {
    const name = `${prefix}${i + 1}`
    const dir = join(stateDir, 'hosts', name)
    return { name, address, port: 22, dir, root: join(dir, 'root') }
  })
  const { syncCleanup, stop } = cleanups(hosts, stateDir, locks)
  live.add(syncCleanup)
  installExitHook()

  try {
    const keyFile = join(stateDir, 'id_ed25519')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'kubeseed-light', '-f', keyFile])
    chmodSync(keyFile, 0o600)
    const pubKey = readFileSync(`${keyFile}.pub`, 'utf8')
    log(`light hosts: building the common layer in ${stateDir}`)
    const common = await buildCommonLayer(rootfs, join(stateDir, 'common'), users)
    const passwd = [join(common, 'etc/passwd'), join(rootfs, 'etc/passwd')].find((f) => existsSync(f))!
    const logins = accounts(passwd, ['root', ...users.map((u) => u.name)])

    const knownLines = await Promise.all(hosts.map((h) => prepareHostRoot(h, [common, rootfs], logins, pubKey)))
    const knownHostsFile = join(stateDir, 'known_hosts')
    writeFileSync(knownHostsFile, knownLines.join(''))

    log(`light hosts: starting ${hosts.length} sshd on ${addresses[0]} ..`)
    await Promise.all(hosts.map(launch))

    const inventoryFile = join(stateDir, 'hosts.yaml')
    writeFileSync(inventoryFile, inventoryYaml(hosts, keyFile, knownHostsFile, opts.groups ?? {}))

    return clusterHandle(hosts, { keyFile, knownHostsFile, inventoryFile, stateDir, users }, stop)
  } catch (e) {
    await stop()
    throw e
  }
}

function inventoryYaml(hosts: LightHost[], keyFile: string, knownHostsFile: string, groups: Record<string, string[]>): string {
  const inv = {
    all: {
      hosts: Object.fromEntries(hosts.map((h) => [h.name, { ansible_host: h.address, ansible_port: h.port }])),
      vars: {
        ansible_user: 'root',
        ansible_ssh_private_key_file: keyFile,
        // The hosts' keys are trusted because the inventory names their file, as the nspawn sandbox does.
        ansible_ssh_common_args: `-o StrictHostKeyChecking=yes -o UserKnownHostsFile=${quote(knownHostsFile)}`,
        ansible_become_password: DEPLOY_PASSWORD,
      },
      children: Object.fromEntries(Object.entries(groups).map(([g, names]) => [g, { hosts: Object.fromEntries(names.map((n) => [n, null])) }])),
    },
  }
  return dump(inv, { lineWidth: -1 })
}
