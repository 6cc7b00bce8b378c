// An inventory file's text as Ansible reads it: UTF-8, where the INI reader lets a comment line hold
// other bytes (ansible issue 17593). A binary beside the inventory (kubespray's artifacts/kubectl)
// is thus refused instead of being read as host names.
import { InventoryError } from '../errors.js'

const strict = new TextDecoder('utf-8', { fatal: true })

/** The text of `bytes`; comment lines that are no UTF-8 become empty when `iniComments` is set. */
export function inventoryText(bytes: Uint8Array, file: string, iniComments: boolean): string {
  try {
    return strict.decode(bytes)
  } catch {
    const lines: string[] = []
    let start = 0
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue
      const line = bytes.subarray(start, i)
      start = i + 1
      try {
        lines.push(strict.decode(line))
      } catch {
        if (!(iniComments && (line[0] === 0x23 || line[0] === 0x3b))) {
          throw new InventoryError('is no UTF-8 text', { file, line: lines.length + 1 }, 'an inventory file must be UTF-8 text')
        }
        lines.push('')
      }
    }
    return lines.join('\n')
  }
}
