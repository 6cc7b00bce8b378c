// A controller path as copy needs it: its kind and mode, and for a directory every file and directory
// below it (relative paths, sorted), so `copy src=DIR` can be planned without further reads.

import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { LocalEntry } from '../task.js'

export function localTree(path: string): LocalEntry {
  const st = statSync(path)
  if (!st.isDirectory()) return { path, dir: false, mode: st.mode & 0o7777 }
  const files: Array<{ rel: string; mode: number }> = []
  const dirs: string[] = []
  const walk = (rel: string) => {
    for (const name of readdirSync(join(path, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name
      const s = statSync(join(path, r))
      if (s.isDirectory()) { dirs.push(r); walk(r) } else if (s.isFile()) files.push({ rel: r, mode: s.mode & 0o7777 })
    }
  }
  walk('')
  return { path, dir: true, mode: st.mode & 0o7777, files, dirs }
}
