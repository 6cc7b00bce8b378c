// unarchive: extract a tar (gz/xz/bz2/zst, by GNU tar's detection) or zip archive into an existing
// directory, only when the archive differs from the one extracted there last time (its sha256 is kept
// in a marker file), or unless `creates` already exists. The archive's member list is kept beside the marker,
// so a rerun checks that the members are still there without decompressing the archive again.

import { PlaybookError } from '../engine/errors.js'
import { quote, shellJoin } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { archiveMarkerPath, UNARCHIVE_STATE_DIR } from './shared/archive-marker.js'

export interface UnarchiveParams {
  src: string
  dest: string
  remote_src: boolean
  creates?: string
  extra_opts: string[]
  owner?: string
  group?: string
  mode?: string
}

/** The shell command listing the archive's members as extracted into dest; undefined for zip or member selection. */
function membersCommand(p: UnarchiveParams, src: string): string | undefined {
  if (/\.zip$/i.test(p.src) || p.extra_opts.some((o) => !o.startsWith('-'))) return undefined
  const strip = p.extra_opts.map((o) => o.match(/^--strip-components=(\d+)$/)?.[1]).find(Boolean) ?? '0'
  return `tar -tf ${src} | awk -F/ -v n=${strip} '{ o = ""; for (i = n + 1; i <= NF; i++) if ($i != "") o = o (o == "" ? "" : "/") $i; if (o != "") print o }'`
}

export const unarchive: RemoteTaskType<UnarchiveParams> = {
  kind: 'remote',
  name: 'unarchive',
  supportsCheck: true,
  params: {
    src: { type: 'path', required: true },
    dest: { type: 'path', required: true },
    remote_src: { type: 'bool', default: false },
    creates: { type: 'path' },
    extra_opts: { type: 'list', items: 'string', default: [] },
    owner: { type: 'string' },
    group: { type: 'string' },
    mode: { type: 'mode' },
  },
  validate(p, where) {
    if (typeof p.src === 'string' && /^https?:\/\//.test(p.src)) {
      throw new PlaybookError(`unarchive: src ${p.src} is a URL`, where, 'download it with get_url (with its checksum) first, then unarchive it with remote_src: yes')
    }
  },
  plan(p, ctx) {
    const dest = quote(p.dest)
    const payloads: Buffer[] = []
    let src: string
    if (p.remote_src) {
      src = quote(p.src)
    } else {
      payloads.push(ctx.readLocalFile(p.src))
      src = '"$KS_P0"'
    }
    const markerPath = archiveMarkerPath(p.dest, p.src, p.extra_opts)
    const marker = quote(markerPath)
    // Written with the marker, for the same archive: a marker without it (older runs) falls back to listing.
    const kept = quote(markerPath.replace(/\.sha256$/, '.members'))
    const members = membersCommand(p, src)
    const keep = members ? `{ ${members} > ${kept}.tmp && mv ${kept}.tmp ${kept}; }` : ':'
    // Every member of the archive is still in dest (a reset may have removed them since the marker was written).
    const stillThere = members
      ? ` && { if [ -f ${kept} ]; then cat ${kept}; else ${members}; fi; } | { while IFS= read -r _kf; do [ -e ${dest}/"$_kf" ] || [ -L ${dest}/"$_kf" ] || exit 1; done; }`
      : ''
    const zip = /\.zip$/i.test(p.src)
    const extract = zip
      ? `unzip -o -q ${shellJoin(p.extra_opts)} ${src} -d ${dest}`
      : `tar -x -f ${src} -C ${dest} ${shellJoin(p.extra_opts)}`
    const lines: string[] = []
    if (p.creates) lines.push(`if [ -e ${quote(p.creates)} ]; then echo ${quote(`skipped, since ${p.creates} exists`)}; exit 0; fi`)
    lines.push(
      // In check mode the archive (a download) and the directory (a mkdir) may be what earlier tasks would make.
      ...(p.remote_src ? [`ks_input ${src} ${quote(`extract ${p.src} into ${p.dest}`)} ${quote(`archive ${p.src} does not exist on the host`)}`] : []),
      `[ -f ${src} ] || ks_fail ${quote(`archive ${p.src} is not a regular file`)}`,
      `ks_input ${dest} ${quote(`extract ${p.src} into ${p.dest}`)} ${quote(`destination directory ${p.dest} does not exist (create it first)`)}`,
      `[ -d ${dest} ] || ks_fail ${quote(`destination ${p.dest} is not a directory`)}`,
      `_kh=$(ks_sha256 ${src})`,
      `if [ -f ${marker} ] && [ "$(cat ${marker})" = "$_kh" ]${stillThere}; then`,
      members ? `  [ -f ${kept} ] || ks_check || ${keep}` : '  :',
      '  exit 0',
      'fi',
      `ks_changed ${quote(`extract ${p.src} into ${p.dest}`)}`,
      'ks_check && exit 0',
      zip ? `command -v unzip >/dev/null 2>&1 || ks_fail 'unzip is not installed on this host'` : ':',
      `${extract.replace(/ +/g, ' ')} || ks_fail ${quote(`extracting ${p.src} failed`)}`,
    )
    if (p.owner || p.group) lines.push(`chown -R ${quote(`${p.owner ?? ''}${p.group ? `:${p.group}` : ''}`)} ${dest} || exit 1`)
    if (p.mode) lines.push(`chmod ${quote(p.mode)} ${dest} || exit 1`)
    lines.push(`mkdir -p ${UNARCHIVE_STATE_DIR} && ${keep} && printf '%s\\n' "$_kh" > ${marker}`)
    return { script: lines.join('\n'), payloads }
  },
}
