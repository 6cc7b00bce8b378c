// How the inventory reads a YAML file (an inventory, group_vars, host_vars): a key given twice keeps its
// last value, as ansible-inventory does, and bad YAML is an InventoryError naming file and line.
import { InventoryError } from '../errors.js'
import { loadYaml, YamlError } from '../yaml.js'

/** The document's value (null for an empty file). */
export function loadInventoryYaml(text: string, file: string): unknown {
  try {
    return loadYaml(text, file, { lastKeyWins: true })
  } catch (e) {
    if (e instanceof YamlError) throw new InventoryError(`invalid YAML: ${e.reason}`, e.where, 'fix the YAML syntax')
    throw e
  }
}
