// Reads one or more inventory paths (files or directories, INI or YAML) as Ansible does.
import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { InventoryError, isKubeseedError } from '../errors.js'
import { assembleInventory } from './assemble.js'
import { parseIni } from './ini.js'
import { loadInventoryYaml } from './read-yaml.js'
import { InventoryData } from './inventory-data.js'
import { addImplicitClusterGroup } from './kubespray-groups.js'
import type { Inventory } from './model.js'
import { inventoryText } from './inventory-text.js'
import { resolveSource, type InventorySource } from './sources.js'
import { VarsFileCache } from './vars-files.js'
import { isYamlInventory, parseYamlInventory } from './yaml-inventory.js'

const YAML_EXTS = ['.yml', '.yaml', '.json']

/**
 * Ansible tries its YAML reader on files ending in .yml/.yaml/.json or without extension, and
 * the INI reader on whatever the YAML reader rejects. A file with a YAML extension that is no
 * valid YAML inventory reports the YAML problem, since that is what the user meant.
 */
function parseInventoryFile(file: string, data: InventoryData): void {
  const bytes = readFileSync(file)
  const ext = extname(file)
  const yamlish = ext === '' || YAML_EXTS.includes(ext)
  if (yamlish) {
    let doc: unknown
    let err: InventoryError | undefined
    let text = ''
    try {
      text = inventoryText(bytes, file, false)
      doc = loadInventoryYaml(text, file)
    } catch (e) {
      if (!(e instanceof InventoryError)) throw e
      err = e
    }
    if (isYamlInventory(doc)) return parseYamlInventory(doc, file, data, text)
    if (ext !== '') {
      try {
        return parseIni(inventoryText(bytes, file, true), file, data)
      } catch (iniErr) {
        if (!isKubeseedError(iniErr)) throw iniErr
        throw err ?? new InventoryError('YAML inventory must be a non-empty mapping of group names', { file, line: 1 }, 'start with `all:` and put hosts under `hosts:`')
      }
    }
  }
  parseIni(inventoryText(bytes, file, true), file, data)
}

/**
 * A file found in an inventory directory that no reader parses is skipped with a warning, as
 * Ansible does: kubespray itself writes artifacts/admin.conf and kubectl.sh there. What a file
 * added before failing stays, as in Ansible. A directory where no file parses is an error.
 */
function parseDirectory(source: InventorySource, data: InventoryData): void {
  const failures: string[] = []
  for (const f of source.files) {
    try {
      parseInventoryFile(f, data)
    } catch (e) {
      if (!isKubeseedError(e)) throw e
      failures.push(e.message)
      data.warnings.push(`not an inventory, skipped: ${e.message}`)
    }
  }
  if (failures.length === source.files.length) {
    throw new InventoryError('no file in the inventory directory is an inventory', { file: source.path }, `fix or remove the file: ${failures[0]}`)
  }
}

export interface LoadOptions {
  /** add k8s_cluster over kube_control_plane and kube_node when the inventory lacks it, as kubespray does (default true) */
  implicitClusterGroup?: boolean
}

export function loadInventory(paths: string | string[], options: LoadOptions = {}): Inventory {
  const list = typeof paths === 'string' ? [paths] : paths
  if (list.length === 0) throw new InventoryError('no inventory given', undefined, 'pass an inventory file or directory with -i')
  const sources = list.map(resolveSource)
  const data = new InventoryData()
  for (const s of sources) {
    if (s.isDirectory) parseDirectory(s, data)
    else parseInventoryFile(s.path, data)
  }
  if (options.implicitClusterGroup ?? true) addImplicitClusterGroup(data)
  return assembleInventory(data, sources.map((s) => s.varsDir), new VarsFileCache())
}
