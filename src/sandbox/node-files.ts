// Turns a freshly mounted overlay into one node: identity, network, SSH, users and enabled services.
// Everything is written through the mounted overlay (never into the upper layer behind its back), and
// every step is safe to repeat on an existing node.

import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import { run } from './host-command.js'
import { SandboxError } from './sandbox-error.js'
import { ensureKeyPair } from './keys.js'
import type { BuiltinModules } from './kernel-modules.js'
import { renderHost0Network, renderSshdHostKeyConfig } from './node-config.js'

export interface NodeSetup {
  root: string
  name: string
  address: string
  prefix: number
  etcHosts: string
  authorizedKey: string
  deployUser: string
  deployPassword: string
  builtinModules?: BuiltinModules
}

function write(root: string, path: string, content: string, mode = 0o644): void {
  const file = join(root, path)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, content, { mode })
  chmodSync(file, mode)
}

/** A symlink inside the node, pointing at a path as the node sees it. */
function link(root: string, path: string, target: string): void {
  const file = join(root, path)
  mkdirSync(dirname(file), { recursive: true })
  try { lstatSync(file); return } catch { /* absent: create it */ }
  symlinkSync(target, file)
}

const ENABLED_UNITS: Array<[string, string]> = [
  ['etc/systemd/system/multi-user.target.wants/systemd-networkd.service', '/lib/systemd/system/systemd-networkd.service'],
  ['etc/systemd/system/sockets.target.wants/systemd-networkd.socket', '/lib/systemd/system/systemd-networkd.socket'],
  ['etc/systemd/system/network-online.target.wants/systemd-networkd-wait-online.service', '/lib/systemd/system/systemd-networkd-wait-online.service'],
  // Timed apt runs would hold dpkg's lock in the middle of a playbook's package tasks.
  ['etc/systemd/system/apt-daily.timer', '/dev/null'],
  ['etc/systemd/system/apt-daily-upgrade.timer', '/dev/null'],
]

function passwdEntry(root: string, user: string): { uid: number; gid: number; home: string } | undefined {
  const line = readFileSync(join(root, 'etc/passwd'), 'utf8').split('\n').find((l) => l.startsWith(`${user}:`))
  if (!line) return undefined
  const f = line.split(':')
  return { uid: Number(f[2]), gid: Number(f[3]), home: f[5] }
}

function installAuthorizedKey(root: string, home: string, uid: number, gid: number, key: string): void {
  const sshDir = join(root, home, '.ssh')
  mkdirSync(sshDir, { recursive: true, mode: 0o700 })
  chmodSync(sshDir, 0o700)
  chownSync(sshDir, uid, gid)
  const file = join(sshDir, 'authorized_keys')
  writeFileSync(file, `${key}\n`, { mode: 0o600 })
  chmodSync(file, 0o600)
  chownSync(file, uid, gid)
}

/** A non-root login with password sudo, for playbooks that test `become`. */
async function ensureDeployUser(setup: NodeSetup): Promise<void> {
  if (!passwdEntry(setup.root, setup.deployUser)) {
    await run('chroot', [setup.root, 'useradd', '--create-home', '--shell', '/bin/bash', '--groups', 'sudo', setup.deployUser])
    await run('chroot', [setup.root, 'chpasswd'], { input: `${setup.deployUser}:${setup.deployPassword}\n` })
  }
  const user = passwdEntry(setup.root, setup.deployUser)
  if (!user) throw new SandboxError(`useradd did not create user ${setup.deployUser}`, { host: setup.name }, 'check the root filesystem has the passwd package')
  installAuthorizedKey(setup.root, user.home, user.uid, user.gid, setup.authorizedKey)
}

export async function prepareNodeRoot(setup: NodeSetup): Promise<void> {
  const { root } = setup
  write(root, 'etc/hostname', `${setup.name}\n`)
  write(root, 'etc/hosts', setup.etcHosts)
  const machineId = join(root, 'etc/machine-id')
  if (!existsSync(machineId) || readFileSync(machineId, 'utf8').trim() === '') {
    write(root, 'etc/machine-id', `${randomBytes(16).toString('hex')}\n`, 0o444)
  }
  write(root, 'etc/systemd/network/10-host0.network', renderHost0Network(setup))
  for (const [path, target] of ENABLED_UNITS) link(root, path, target)
  write(root, 'etc/ssh/sshd_config.d/10-sandbox-hostkey.conf', renderSshdHostKeyConfig())
  await ensureKeyPair(join(root, 'etc/ssh/ssh_host_ed25519_key'), `root@${setup.name}`)
  installAuthorizedKey(root, '/root', 0, 0, setup.authorizedKey)
  await ensureDeployUser(setup)
  if (setup.builtinModules) await writeBuiltinModules(root, setup.builtinModules)
}

async function writeBuiltinModules(root: string, modules: BuiltinModules): Promise<void> {
  const dir = `lib/modules/${modules.release}`
  write(root, `${dir}/modules.builtin`, modules.lines.map((l) => `${l}\n`).join(''))
  write(root, `${dir}/modules.order`, '')
  // depmod indexes the list the way modprobe reads it (modules.builtin.bin).
  await run('chroot', [root, 'depmod', '--quiet', modules.release])
}

export function nodeHostKey(root: string): string {
  return readFileSync(join(root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').trim()
}
