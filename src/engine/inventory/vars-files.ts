// group_vars/ and host_vars/ beside an inventory, found the way Ansible's host_group_vars plugin
// finds them: the first of NAME, NAME.yml, NAME.yaml, NAME.json; a directory NAME/ is read
// recursively in name order.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import { InventoryError } from '../errors.js'
import { keyLinesOf } from '../yaml.js'
import { loadInventoryYaml } from './read-yaml.js'
import type { VarLayer } from './model.js'

const EXTENSIONS = ['', '.yml', '.yaml', '.json']

function dirFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name.endsWith('~')) continue
    const full = join(dir, name)
    const ext = extname(name)
    const st = statSync(full)
    if (st.isDirectory() && !ext) out.push(...dirFiles(full))
    else if (st.isFile() && EXTENSIONS.includes(ext)) out.push(full)
  }
  return out
}

/** Files holding vars for `name` under `dir` (group_vars or host_vars), lowest precedence first. */
export function findVarsFiles(dir: string, name: string): string[] {
  // a host named like a path ('/srv/chroot') has no vars files, as in Ansible
  if (name.startsWith('/') || !existsSync(dir)) return []
  for (const ext of EXTENSIONS) {
    const path = join(dir, name + ext)
    if (!existsSync(path)) continue
    return statSync(path).isDirectory() ? dirFiles(path) : [path]
  }
  return []
}

/** Reads vars files once each. */
export class VarsFileCache {
  private readonly layers = new Map<string, VarLayer | null>()

  /** The file as a layer; null for an empty file. */
  load(file: string): VarLayer | null {
    const known = this.layers.get(file)
    if (known !== undefined) return known
    const v = loadInventoryYaml(readFileSync(file, 'utf8'), file)
    let layer: VarLayer | null = null
    if (v !== undefined && v !== null && v !== '') {
      if (typeof v !== 'object' || Array.isArray(v)) {
        throw new InventoryError(`a vars file must hold a mapping of names to values, found ${Array.isArray(v) ? 'a list' : typeof v}`, { file, line: 1 }, 'write the file as name: value lines')
      }
      const lines = { ...keyLinesOf(v) }
      layer = Object.keys(v).length ? { source: file, vars: v as Record<string, unknown>, lines } : null
    }
    this.layers.set(file, layer)
    return layer
  }
}
