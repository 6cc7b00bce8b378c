// `kubeseed offline list`: the artifacts of one Kubernetes version, as text or JSON.

import type { Writable } from 'node:stream'
import { artifactsFor, type Artifacts, type ArtifactsOptions } from './manifest.js'

export interface ListOptions extends ArtifactsOptions {
  format?: 'text' | 'json'
  out: Writable
}

export async function listArtifacts(opts: ListOptions): Promise<Artifacts> {
  const a = artifactsFor(opts)
  opts.out.write(opts.format === 'json' ? `${JSON.stringify(a, null, 2)}\n` : formatArtifacts(a))
  return a
}

export function formatArtifacts(a: Artifacts): string {
  const lines: string[] = [`Kubernetes ${a.kubeVersion} (${a.arch})`, '', 'Files (path under files_repo, sha256):']
  const nameWidth = Math.max(...a.files.map((f) => f.name.length), 4)
  for (const f of a.files) lines.push(`  ${f.name.padEnd(nameWidth)}  ${f.version.padEnd(10)}  ${f.path}`, `  ${''.padEnd(nameWidth)}  ${''.padEnd(10)}  sha256:${f.sha256}`)
  lines.push('', 'Images:')
  for (const i of a.images) lines.push(`  ${i.repo}:${i.tag}${i.digest ? `@${i.digest}` : ''}`)
  lines.push('', 'OS packages:')
  for (const [family, names] of Object.entries(a.packages)) lines.push(`  ${family}: ${names.join(' ')}`)
  const sets = Object.entries(a.packageSets)
  if (sets.length > 0) lines.push('', 'OS package sets (installed by the role that needs them):')
  for (const [name, lists] of sets) {
    for (const [family, names] of Object.entries(lists)) lines.push(`  ${name} ${family}: ${names.join(' ')}`)
  }
  return `${lines.join('\n')}\n`
}
