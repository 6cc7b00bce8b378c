// `kubeseed offline verify`: does a bundle still match its bundle.json, byte for byte?

import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Writable } from 'node:stream'
import { sha256IfExists } from './checksum.js'
import { listBundleFiles, readBundleIndex, INDEX_FILE } from './bundle-index.js'
import { ManifestError } from './manifest-error.js'

export interface VerifyReport {
  dir: string
  checked: number
  changed: string[]
  missing: string[]
  extra: string[]
  ok: boolean
}

export interface VerifyOptions {
  dir: string
  out?: Writable
  /** Throw a ManifestError naming the bad files (default true); otherwise only report. */
  throwOnFailure?: boolean
}

export async function verifyBundle(opts: VerifyOptions): Promise<VerifyReport> {
  const index = await readBundleIndex(opts.dir)
  const report: VerifyReport = { dir: opts.dir, checked: 0, changed: [], missing: [], extra: [], ok: true }
  for (const [rel, want] of Object.entries(index.files)) {
    const abs = join(opts.dir, rel)
    const got = await sha256IfExists(abs)
    report.checked++
    if (got === undefined) report.missing.push(rel)
    else if (got !== want.sha256 || (await stat(abs)).size !== want.size) report.changed.push(rel)
  }
  for (const rel of await listBundleFiles(opts.dir)) if (!(rel in index.files)) report.extra.push(rel)
  report.ok = report.changed.length + report.missing.length + report.extra.length === 0
  const out = opts.out
  if (out) {
    for (const f of report.changed) out.write(`changed: ${f}\n`)
    for (const f of report.missing) out.write(`missing: ${f}\n`)
    for (const f of report.extra) out.write(`extra:   ${f}\n`)
    out.write(report.ok ? `ok: ${report.checked} files match ${INDEX_FILE}\n` : `FAILED: ${opts.dir} does not match ${INDEX_FILE}\n`)
  }
  if (!report.ok && opts.throwOnFailure !== false) {
    const parts = [
      report.changed.length ? `changed: ${report.changed.join(', ')}` : '',
      report.missing.length ? `missing: ${report.missing.join(', ')}` : '',
      report.extra.length ? `extra: ${report.extra.join(', ')}` : '',
    ].filter(Boolean)
    throw new ManifestError(`bundle does not match ${INDEX_FILE}: ${parts.join('; ')}`, { file: join(opts.dir, INDEX_FILE) },
      'rebuild the bundle with `kubeseed offline build`, or copy it again')
  }
  return report
}
