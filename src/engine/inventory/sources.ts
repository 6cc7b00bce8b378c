// Which files an inventory path stands for, and where its group_vars/ and host_vars/ live.
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { InventoryError } from '../errors.js'

// Ansible skips these in an inventory directory (INVENTORY_IGNORE_EXTS and its fixed list);
// note that *.ini files in a directory are skipped, only a file given directly is read as INI.
const IGNORED_NAMES = /^\.|^host_vars$|^group_vars$|^vars_plugins$/
const IGNORED_EXTS = ['.pyc', '.pyo', '.swp', '.bak', '~', '.rpm', '.md', '.txt', '.rst', '.orig', '.ini', '.cfg', '.retry']

export interface InventorySource {
  /** the path as given, made absolute */
  path: string
  /** inventory files it stands for, in Ansible's reading order */
  files: string[]
  /** the directory whose group_vars/ and host_vars/ apply */
  varsDir: string
  /** a directory: its files that no reader parses are skipped with a warning */
  isDirectory: boolean
}

function dirInventoryFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    if (IGNORED_NAMES.test(name) || IGNORED_EXTS.some((e) => name.endsWith(e))) continue
    const full = join(dir, name)
    const st = statSync(full)
    if (st.isDirectory()) out.push(...dirInventoryFiles(full))
    else if (st.isFile()) out.push(full)
  }
  return out
}

export function resolveSource(path: string): InventorySource {
  const abs = resolve(path)
  let st
  try {
    st = statSync(abs)
  } catch {
    throw new InventoryError(`inventory path does not exist`, { file: path }, 'pass an inventory file or directory with -i')
  }
  if (st.isDirectory()) {
    const files = dirInventoryFiles(abs)
    if (files.length === 0) {
      throw new InventoryError('inventory directory holds no inventory file', { file: path }, 'add hosts.yaml or hosts (INI); *.ini files inside a directory are ignored, as in Ansible')
    }
    return { path: abs, files, varsDir: abs, isDirectory: true }
  }
  return { path: abs, files: [abs], varsDir: dirname(abs), isDirectory: false }
}
