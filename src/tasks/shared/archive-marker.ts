// Where unarchive remembers what it last extracted: one small file per (destination, archive, options),
// holding the archive's sha256. Several archives may be unpacked into one directory (/usr/local/bin).

import { createHash } from 'node:crypto'

export const UNARCHIVE_STATE_DIR = '/var/lib/kubeseed/unarchive'

export function archiveMarkerPath(dest: string, src: string, extraOpts: readonly string[] = []): string {
  const id = JSON.stringify([dest.replace(/\/+$/, '') || '/', src, extraOpts])
  const key = createHash('sha256').update(id).digest('hex').slice(0, 24)
  return `${UNARCHIVE_STATE_DIR}/${key}.sha256`
}
