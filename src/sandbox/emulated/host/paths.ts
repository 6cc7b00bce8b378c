// Every file the emulated binaries touch goes through hostPath(), so tests can run them under
// a throwaway root (KUBESEED_EMULATION_ROOT) instead of the machine's /etc and /var.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

export const ROOT_ENV = 'KUBESEED_EMULATION_ROOT'

export function hostPath(p: string): string {
  const root = process.env[ROOT_ENV]
  return root ? join(root, p) : p
}

export function readHostFile(p: string): string | undefined {
  try {
    return readFileSync(hostPath(p), 'utf8')
  } catch {
    return undefined
  }
}

export function hostFileExists(p: string): boolean {
  return existsSync(hostPath(p))
}

/**
 * Write atomically (temp + rename). The temporary file is created exclusively with its final mode, so a key is
 * never readable by others, not even while it is written, and a stale file or a link left under the temporary
 * name is removed rather than written through.
 */
export function writeHostFile(p: string, content: string | Buffer, mode = 0o644): void {
  const full = hostPath(p)
  mkdirSync(dirname(full), { recursive: true })
  const tmp = `${full}.tmp-${process.pid}`
  rmSync(tmp, { force: true })
  writeFileSync(tmp, content, { mode, flag: 'wx' })
  renameSync(tmp, full)
}

export function removeHostPath(p: string): void {
  rmSync(hostPath(p), { recursive: true, force: true })
}

export function makeHostDir(p: string, mode = 0o755): void {
  mkdirSync(hostPath(p), { recursive: true, mode })
}
