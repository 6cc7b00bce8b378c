// Mocha hooks that give each test of the calling suite a throwaway KUBESEED_EMULATION_ROOT: the "/"
// the emulated kubeadm, kubelet and kubectl see, restored and removed after the test.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT_ENV } from '../../src/sandbox/emulated/host/paths.js'

/** Registers the hooks; the returned function joins paths below the current test's root. */
export function useEmulationRoot(prefix: string, dirs: string[] = []): (...parts: string[]) => string {
  let root = ''
  const saved = process.env[ROOT_ENV]
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), `kubeseed-${prefix}-`))
    process.env[ROOT_ENV] = root
    for (const d of dirs) mkdirSync(join(root, d), { recursive: true })
  })
  afterEach(() => {
    if (saved === undefined) delete process.env[ROOT_ENV]
    else process.env[ROOT_ENV] = saved
    rmSync(root, { recursive: true, force: true })
  })
  return (...parts) => join(root, ...parts)
}
