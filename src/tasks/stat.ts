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
    // A link itself (not followed) has no checksum, MIME type or file attributes of its own, as in Ansible.
    const own = p.follow ? `[ -e ${path} ]` : `[ ! -L ${path} ]`
    return {
      script: [
        `if [ -e ${path} ] || [ -L ${path} ]; then`,
        `  stat${follow} -c 'mode=%a\nsize=%s\nuid=%u\ngid=%g\npw_name=%U\ngr_name=%G\nmtime=%Y\natime=%X\nctime=%Z\ninode=%i\ndev=%d\nnlink=%h\nblock_size=%o\nblocks=%b\ndevice_type=%r\ntype=%F' ${path} || exit 1`,
        `  for _kt in r w x; do if [ -$_kt ${path} ]; then echo "access_$_kt=1"; fi; done`,
        p.get_checksum ? `  if ${own} && [ -f ${path} ] && [ -r ${path} ]; then printf 'checksum=%s\n' "$(${p.checksum_algorithm}sum < ${path} | cut -d' ' -f1)"; fi` : '  :',
        p.follow ? '  :' : `  if [ -L ${path} ]; then printf 'lnk_source=%s\n' "$(readlink -f ${path})"; printf 'lnk_target=%s\n' "$(readlink ${path})"; fi`,
        `  if command -v file >/dev/null; then printf 'mimetype=%s\ncharset=%s\n' "$(file -b${follow} --mime-type ${path})" "$(file -b${follow} --mime-encoding ${path})"; fi`,
        `  if ${own} && command -v lsattr >/dev/null && _ka=$(lsattr -vd "$(readlink -f ${path})" 2>/dev/null); then printf 'lsattr=%s\n' "$_ka"; fi`,
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

const NUMERIC = new Set(['size', 'uid', 'gid', 'mtime', 'atime', 'ctime', 'inode', 'dev', 'nlink', 'block_size', 'blocks', 'device_type'])

/** lsattr's letters as Ansible names them. */
const ATTRIBUTES: Record<string, string> = {
  a: 'append', A: 'noatime', c: 'compressed', C: 'nocow', d: 'nodump', D: 'dirsync', e: 'extents', E: 'encrypted',
  h: 'blocksize', i: 'immutable', I: 'indexed', j: 'journalled', N: 'inline', s: 'zero', S: 'synchronous',
  t: 'notail', T: 'blockroot', u: 'undelete', X: 'compressedraw', Z: 'compresseddirty',
}

export function parseStat(p: StatParams, stdout: string): Record<string, unknown> {
  if (stdout.trim() === 'absent') return { exists: false }
  const kv: Record<string, string> = {}
  for (const line of stdout.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) kv[line.slice(0, i)] = line.slice(i + 1)
  }
  const st: Record<string, unknown> = { exists: true, path: p.path }
  for (const [k, v] of Object.entries(kv)) {
    if (k === 'type' || k === 'lsattr' || k.startsWith('access_')) continue
    st[k] = NUMERIC.has(k) ? Number(v) : v
  }
  const mode = Number.parseInt(kv.mode ?? '0', 8)
  st.mode = (kv.mode ?? '').padStart(4, '0')
  const type = kv.type ?? ''
  st.isdir = type === 'directory'
  st.isreg = type.startsWith('regular')
  st.islnk = type === 'symbolic link'
  st.isfifo = type === 'fifo'
  st.issock = type === 'socket'
  st.isblk = type === 'block special file'
  st.ischr = type === 'character special file'
  st.isuid = (mode & 0o4000) !== 0
  st.isgid = (mode & 0o2000) !== 0
  const bits = ['xoth', 'woth', 'roth', 'xgrp', 'wgrp', 'rgrp', 'xusr', 'wusr', 'rusr']
  bits.forEach((b, i) => { st[b] = (mode & (1 << i)) !== 0 })
  st.readable = kv.access_r === '1'
  st.writeable = kv.access_w === '1'
  st.executable = kv.access_x === '1'
  // `lsattr -vd` prints "VERSION FLAGS PATH"; links and hosts without lsattr have none, as Ansible reports.
  const la = /^(\S+)\s+(\S+)\s/.exec(kv.lsattr ?? '')
  const flags = la ? la[2].replace(/-/g, '') : ''
  st.version = la ? la[1] : null
  st.attr_flags = flags
  st.attributes = [...flags].map((f) => ATTRIBUTES[f] ?? f)
  return st
}
