// Files the run reads on the controller (templates, copy sources), looked up the way Ansible looks, and
// read once per run rather than once per host and task.

import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { PlaybookError } from '../errors.js'
import { PACKAGE_ROOT, TEMPLATES_DIR } from '../paths.js'
import type { LocalEntry } from '../task.js'
import { localTree } from './local-tree.js'

export class ControllerFiles {
  private readonly read = new Map<string, Buffer>()

  /** A template by name: the role's templates/, the playbook's, then kubeseed's own templates/. */
  template(name: string, roleDir: string | undefined, playbookDir: string): string {
    return this.first(isAbsolute(name) ? [name] : [
      ...(roleDir ? [join(roleDir, 'templates', name)] : []),
      join(playbookDir, 'templates', name), join(TEMPLATES_DIR, name), join(PACKAGE_ROOT, name),
    ], `template not found: ${name}`).toString('utf8')
  }

  /** A file by path: relative paths are tried in `baseDirs` (a role's files/, the task file's dir), then here. */
  file(path: string, baseDirs: string[]): Buffer {
    return this.first(isAbsolute(path) ? [path] : [...baseDirs.map((d) => join(d, path)), resolve(path)],
      `file not found on the controller: ${path}`)
  }

  /** A copy source by path (looked up as `file`): its kind and mode, and a directory's tree. */
  stat(path: string, baseDirs: string[]): LocalEntry {
    const candidates = isAbsolute(path) ? [path] : [...baseDirs.map((d) => join(d, path)), resolve(path)]
    const f = candidates.find((c) => existsSync(c))
    if (!f) throw new PlaybookError(`file not found on the controller: ${path}`, undefined, `looked in ${[...new Set(candidates)].join(', ')}`)
    return localTree(f)
  }

  private first(candidates: string[], missing: string): Buffer {
    const f = candidates.find((c) => this.read.has(c) || existsSync(c))
    if (!f) throw new PlaybookError(missing, undefined, `looked in ${[...new Set(candidates)].join(', ')}`)
    let data = this.read.get(f)
    if (!data) { data = readFileSync(f); this.read.set(f, data) }
    return data
  }
}
