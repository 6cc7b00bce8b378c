// Which manifest images a host pulls, from the download role's real defaults: e2e suites compare what the
// nodes hold with this, so a change of the role's conditions changes their expectation with it.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load, YAML11_SCHEMA } from 'js-yaml'
import { ROLES_DIR } from '../../src/engine/paths.js'
import { artifactsFor } from '../../src/offline/manifest.js'
import { VarScope } from '../../src/engine/vars/scope.js'

const defaults = (role: string) => load(readFileSync(join(ROLES_DIR, role, 'defaults', 'main.yaml'), 'utf8'), { schema: YAML11_SCHEMA }) as Record<string, unknown>

/** Names of the images `images` a host in `groupNames` downloads, with `vars` over the roles' defaults. */
export function downloadedImageNames(images: Array<{ name: string }>, groupNames: string[], vars: Record<string, unknown> = {}): string[] {
  const scope = new VarScope([
    { source: 'roles/kubespray_defaults/defaults/main.yaml', vars: defaults('kubespray_defaults') },
    { source: 'roles/download/defaults/main.yaml', vars: defaults('download') },
    { source: 'test', vars: { group_names: groupNames, kubeseed_artifacts: { images, files: {} }, ...vars } },
  ], { host: 'node' })
  return (scope.get('download_images') as Array<{ name: string }>).map((i) => i.name)
}

/**
 * Where a host keeps the bundle's file `name` once the download role has fetched it: local_release_dir and the
 * manifest's cache name (kubespray's versioned downloads.<name>.dest), resolved as a run resolves them.
 */
export function downloadCachePath(bundle: { kubeVersion: string; arch: string; manifestFile: string }, name: string): string {
  const file = artifactsFor({ kubeVersion: bundle.kubeVersion, arch: bundle.arch, manifestFiles: [bundle.manifestFile] }).files.find((f) => f.name === name)
  if (!file) throw new Error(`the bundle's manifest has no file "${name}"`)
  return `${String(defaults('kubespray_defaults').local_release_dir)}/${file.cache}`
}
