// The sandbox's Debian root filesystem: built once with debootstrap, cached by the hash of its recipe.
// It holds what any Debian server has, and NOT what the playbooks install (containerd, etcd, conntrack...):
// those must arrive through the mirror. python3 is there as on any Debian server (Ansible needs it on its
// targets: the benchmark runs ansible-playbook against these hosts); nodejs only runs the emulated
// kubeadm/kubelet/kubectl.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { run } from './host-command.js'
import { withLock } from './lock.js'

export const ROOTFS_SUITE = 'bookworm'
export const ROOTFS_PACKAGES = [
  'systemd', 'systemd-sysv', 'dbus', 'openssh-server', 'iproute2', 'iputils-ping', 'ca-certificates', 'kmod',
  'sudo', 'procps', 'less', 'nano', 'curl', 'gnupg', 'apt-transport-https', 'lsb-release', 'python3',
  'nodejs',
]

/** Bump when the post-install steps below change: it is part of the cache key. */
const RECIPE_REVISION = 3

export const CACHE_DIR = process.env.KUBESEED_CACHE ?? '/var/cache/kubeseed'

export function rootfsKey(): string {
  const recipe = JSON.stringify({ ROOTFS_SUITE, ROOTFS_PACKAGES, RECIPE_REVISION })
  return createHash('sha256').update(recipe).digest('hex').slice(0, 16)
}

export function rootfsPath(): string {
  return join(CACHE_DIR, `rootfs-${ROOTFS_SUITE}-${rootfsKey()}`)
}

/** The Debian mirror this machine's apt already uses (we never name one ourselves). */
export function debianMirror(): string {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']
  for (const file of candidates) {
    if (!existsSync(file)) continue
    const text = readFileSync(file, 'utf8')
    const deb822 = text.match(/^URIs:\s*(\S+)/m)
    if (deb822 && !deb822[1].includes('security')) return deb822[1]
    const line = text.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m)
    if (line) return line[1]
  }
  throw new Error('no Debian mirror found in /etc/apt/sources.list(.d): configure apt first')
}

/** Returns the path of the cached root filesystem, building it first if needed (about 2-3 minutes). */
export async function ensureRootfs(log: (line: string) => void = () => {}): Promise<string> {
  const target = rootfsPath()
  if (existsSync(join(target, '.kubeseed-rootfs'))) return target
  mkdirSync(CACHE_DIR, { recursive: true })
  return withLock(join(CACHE_DIR, 'rootfs.lock'), async () => {
    if (existsSync(join(target, '.kubeseed-rootfs'))) return target
    const tmp = `${target}.building`
    rmSync(tmp, { recursive: true, force: true })
    log(`building sandbox root filesystem (debootstrap ${ROOTFS_SUITE}) into ${target}`)
    await run('debootstrap', ['--variant=minbase', `--include=${ROOTFS_PACKAGES.join(',')}`, ROOTFS_SUITE, tmp, debianMirror()])
    finishRootfs(tmp)
    // Older builds go, unless a running node or light host still has one as its overlay's lower layer.
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8')
    for (const old of readdirSync(CACHE_DIR)) {
      const path = join(CACHE_DIR, old)
      if (old.startsWith(`rootfs-${ROOTFS_SUITE}-`) && path !== target && !old.endsWith('.building') && !mounts.includes(path)) {
        rmSync(path, { recursive: true, force: true })
      }
    }
    renameSync(tmp, target)
    return target
  })
}

function finishRootfs(root: string): void {
  // Services that bind "localhost" need it resolvable; debootstrap writes no such line.
  writeFileSync(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n')
  // Each node gets its own host keys and machine id at first boot of its overlay.
  for (const f of readdirSync(join(root, 'etc/ssh'))) {
    if (f.startsWith('ssh_host_')) rmSync(join(root, 'etc/ssh', f))
  }
  writeFileSync(join(root, 'etc/machine-id'), '')
  rmSync(join(root, 'var/lib/dbus/machine-id'), { force: true })
  writeFileSync(join(root, 'etc/ssh/sshd_config.d/kubeseed.conf'),
    'PermitRootLogin prohibit-password\nPasswordAuthentication no\nUseDNS no\nMaxSessions 10\n')
  // The sandbox's apt sources are written per node (the mirror); the build-time mirror must not leak in.
  writeFileSync(join(root, 'etc/apt/sources.list'), '')
  rmSync(join(root, 'var/cache/apt/archives'), { recursive: true, force: true })
  mkdirSync(join(root, 'var/cache/apt/archives/partial'), { recursive: true })
  for (const f of readdirSync(join(root, 'var/lib/apt/lists'))) {
    if (f !== 'partial' && f !== 'lock') rmSync(join(root, 'var/lib/apt/lists', f), { force: true })
  }
  writeFileSync(join(root, '.kubeseed-rootfs'), `${rootfsKey()}\n`)
}
