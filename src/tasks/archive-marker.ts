// Where unarchive remembers which archive it last extracted into a directory: one small file per
// destination, holding the archive's sha256.

import { createHash } from 'node:crypto'

export const UNARCHIVE_STATE_DIR = '/var/lib/kubeseed/unarchive'

export function archiveMarkerPath(dest: string): string {
  const key = createHash('sha256').update(dest.replace(/\/+$/, '') || '/').digest('hex').slice(0, 24)
  return `${UNARCHIVE_STATE_DIR}/${key}.sha256`
}
