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

/** Write atomically (temp + rename) with the mode set before the rename. */
export function writeHostFile(p: string, content: string | Buffer, mode = 0o644): void {
  const full = hostPath(p)
  mkdirSync(dirname(full), { recursive: true })
  const tmp = `${full}.tmp-${process.pid}`
  writeFileSync(tmp, content, { mode })
  renameSync(tmp, full)
}

export function removeHostPath(p: string): void {
  rmSync(hostPath(p), { recursive: true, force: true })
}

export function makeHostDir(p: string, mode = 0o755): void {
  mkdirSync(hostPath(p), { recursive: true, mode })
}
