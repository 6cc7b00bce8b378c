// stat: facts about one path, for `register` ({stat: {exists, isdir, mode, size, checksum, ...}}).

import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'

export interface StatParams {
  path: string
  follow: boolean
  get_checksum: boolean
  checksum_algorithm: 'sha1' | 'sha256' | 'sha512' | 'md5'
}

export const stat: RemoteTaskType<StatParams> = {
  kind: 'remote',
  name: 'stat',
  supportsCheck: true,
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    follow: { type: 'bool', default: false },
    get_checksum: { type: 'bool', default: true },
    checksum_algorithm: { type: 'string', choices: ['sha1', 'sha256', 'sha512', 'md5'], default: 'sha1', aliases: ['checksum', 'checksum_algo'] },
  },
  plan(p) {
    const path = quote(p.path)
    const follow = p.follow ? ' -L' : ''
    return {
      script: [
        `if [ -e ${path} ] || [ -L ${path} ]; then`,
        `  stat${follow} -c 'mode=%a\nsize=%s\nuid=%u\ngid=%g\npw_name=%U\ngr_name=%G\nmtime=%Y\natime=%X\ninode=%i\nnlink=%h\ntype=%F' ${path} || exit 1`,
        p.get_checksum ? `  if [ -f ${path} ] && [ -r ${path} ]; then printf 'checksum=%s\\n' "$(${p.checksum_algorithm}sum < ${path} | cut -d' ' -f1)"; fi` : '  :',
        `  if [ -L ${path} ]; then printf 'lnk_source=%s\\n' "$(readlink -f ${path})"; printf 'lnk_target=%s\\n' "$(readlink ${path})"; fi`,
        'else',
        '  echo absent',
        'fi',
      ].join('\n'),
    }
  },
  finish(p, out) {
    return { stat: parseStat(p, out.stdout) }
  },
}

const NUMERIC = new Set(['size', 'uid', 'gid', 'mtime', 'atime', 'inode', 'nlink'])

/** The `stat` dict Ansible registers, from the script's key=value lines. */
export function parseStat(p: StatParams, stdout: string): Record<string, unknown> {
  if (stdout.trim() === 'absent') return { exists: false }
  const kv: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1)
  }
  const st: Record<string, unknown> = { exists: true, path: p.path }
  for (const [k, v] of Object.entries(kv)) {
    if (k === 'type') continue
    st[k] = NUMERIC.has(k) ? Number(v) : v
  }
  st.mode = (kv.mode ?? '').padStart(4, '0')
  const type = kv.type ?? ''
  st.isdir = type === 'directory'
  st.isreg = type.startsWith('regular')
  st.islnk = type === 'symbolic link'
  st.isfifo = type === 'fifo'
  st.issock = type === 'socket'
  st.isblk = type === 'block special file'
  st.ischr = type === 'character special file'
  return st
}
