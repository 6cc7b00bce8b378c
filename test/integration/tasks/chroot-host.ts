// A throwaway host for task tests: an overlay of the sandbox root filesystem, mounted in its own mount,
// UTS and network namespaces (held open by a sleeping process), entered with nsenter + chroot. Nothing a
// task does there reaches this machine's /etc, hostname or network settings.

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureRootfs } from '../../../src/sandbox/rootfs.js'
import { quote } from '../../../src/engine/quote.js'

export interface ChrootHost {
  /** The overlay's merged root as seen from inside the namespace (for nsenter + chroot). */
  root: string
  /** The overlay's upper directory on this machine: what the tasks wrote. */
  upper: string
  /** Turns a batch script into one that runs inside the host. */
  wrap(script: string): string
  close(): Promise<void>
}

export async function chrootHost(): Promise<ChrootHost> {
  const lower = await ensureRootfs()
  const base = mkdtempSync(join(tmpdir(), 'ks-chroot-'))
  const upper = join(base, 'upper')
  const work = join(base, 'work')
  const root = join(base, 'root')
  for (const d of [upper, work, root]) mkdirSync(d)
  const setup = [
    `mount -t overlay overlay -o ${quote(`lowerdir=${lower},upperdir=${upper},workdir=${work}`)} ${quote(root)}`,
    `mount -t proc proc ${quote(`${root}/proc`)}`,
    `mount -t sysfs -o ro sysfs ${quote(`${root}/sys`)}`,
    `mount -t tmpfs tmpfs ${quote(`${root}/tmp`)}`,
    `mount -t tmpfs tmpfs ${quote(`${root}/run`)}`,
    'ip link set lo up',
    `hostname "$(cat ${quote(`${root}/etc/hostname`)} 2>/dev/null || echo sandbox)"`,
    'echo ready',
    'exec sleep 100000',
  ].join(' && ')
  const holder: ChildProcess = spawn('unshare', ['--mount', '--uts', '--net', '--fork', 'sh', '-c', setup], { stdio: ['ignore', 'pipe', 'pipe'] })
  let err = ''
  holder.stderr!.on('data', (d: Buffer) => { err += d.toString() })
  await new Promise<void>((resolve, reject) => {
    holder.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ready')) resolve() })
    holder.on('exit', (code) => reject(new Error(`chroot host setup failed (${code}): ${err}`)))
  })
  // unshare --fork: the sleeping process is unshare's child; nsenter needs its pid.
  const pid = await childPid(holder.pid!)
  return {
    root,
    upper,
    wrap: (script) => `nsenter -t ${pid} -m -u -n chroot ${quote(root)} /bin/sh -s <<'KS_CHROOT_END'\n${script}\nKS_CHROOT_END\n`,
    async close() {
      holder.kill('SIGKILL')
      process.kill(pid, 'SIGKILL')
      await new Promise((r) => setTimeout(r, 100))
      rmSync(base, { recursive: true, force: true })
    },
  }
}

async function childPid(parent: number): Promise<number> {
  const { readFileSync } = await import('node:fs')
  for (let i = 0; i < 50; i++) {
    try {
      const kids = readFileSync(`/proc/${parent}/task/${parent}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
      if (kids.length) return Number(kids[0])
    } catch { /* not there yet */ }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no child of ${parent}`)
}
