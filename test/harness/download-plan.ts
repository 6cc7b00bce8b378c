// Which manifest images a host pulls, from the download role's real defaults: e2e suites compare what the
// nodes hold with this, so a change of the role's conditions changes their expectation with it.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load, YAML11_SCHEMA } from 'js-yaml'
import { ROLES_DIR } from '../../src/engine/paths.js'
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
