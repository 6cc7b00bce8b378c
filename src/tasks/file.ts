// file: a path's kind and attributes: regular file (attributes only), directory (with parents, optionally
// recursive attributes), absent, symlink, hard link, or touched (created when missing).

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { attrArgs, parentDir } from './shared/shell-args.js'

export interface FileParams {
  path: string
  state?: 'file' | 'directory' | 'absent' | 'link' | 'hard' | 'touch'
  src?: string
  mode?: string
  owner?: string
  group?: string
  recurse: boolean
  force: boolean
}

export const file: RemoteTaskType<FileParams> = {
  kind: 'remote',
  name: 'file',
  supportsCheck: true,
  params: {
    path: { type: 'path', required: true, aliases: ['dest', 'name'] },
    state: { type: 'string', choices: ['file', 'directory', 'absent', 'link', 'hard', 'touch'] },
    src: { type: 'path' },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
    recurse: { type: 'bool', default: false },
    force: { type: 'bool', default: false },
  },
  validate(p, where) {
    if ((p.state === 'link' || p.state === 'hard') && p.src === undefined) {
      throw new PlaybookError(`file: state=${p.state} needs "src"`, where, 'add src: <the link target>')
    }
    if (p.recurse && p.state !== 'directory') {
      throw new PlaybookError('file: recurse only works with state=directory', where, 'add state: directory or drop recurse')
    }
  },
  plan(p) {
    const path = quote(p.path)
    const attrs = `ks_attrs ${path} ${attrArgs(p)}`
    const lines: string[] = []
    switch (p.state) {
      case undefined:
      case 'file':
        lines.push(`[ -e ${path} ] || ks_fail ${quote(`file ${p.path} does not exist (use state: touch to create it)`)}`)
        if (p.state === 'file') lines.push(`[ -f ${path} ] || ks_fail ${quote(`${p.path} is not a regular file`)}`)
        lines.push(attrs)
        break
      case 'touch':
        lines.push(`if [ ! -e ${path} ]; then ks_changed ${quote(`create ${p.path}`)}; ks_check && exit 0; : > ${path} || exit 1; fi`, attrs)
        break
      case 'directory':
        lines.push(
          `if [ -e ${path} ] && [ ! -d ${path} ]; then ks_fail ${quote(`${p.path} exists and is not a directory`)}; fi`,
          `if [ ! -d ${path} ]; then ks_changed ${quote(`create directory ${p.path}`)}; ks_check && exit 0; mkdir -p ${path} || exit 1; fi`,
          attrs,
        )
        if (p.recurse && (p.mode || p.owner || p.group)) lines.push(recursiveAttrs(p))
        break
      case 'absent':
        lines.push(`if [ -e ${path} ] || [ -L ${path} ]; then ks_changed ${quote(`remove ${p.path}`)}; ks_check || rm -rf ${path} || exit 1; fi`)
        break
      case 'link':
      case 'hard':
        lines.push(link(p))
        break
    }
    return { script: lines.join('\n') }
  },
}

/** Bring everything under a directory to the asked attributes, with one find to see if anything differs. */
function recursiveAttrs(p: FileParams): string {
  const path = quote(p.path)
  const tests: string[] = []
  if (p.mode) tests.push(`! -perm ${quote(p.mode)}`)
  if (p.owner) tests.push(`! -user ${quote(p.owner)}`)
  if (p.group) tests.push(`! -group ${quote(p.group)}`)
  const apply: string[] = []
  if (p.mode) apply.push(`chmod -R ${quote(p.mode)} ${path}`)
  if (p.owner || p.group) apply.push(`chown -R ${quote(`${p.owner ?? ''}${p.group ? `:${p.group}` : ''}`)} ${path}`)
  return [
    `_kf=$(find ${path} \\( ${tests.join(' -o ')} \\) -print 2>/dev/null | head -n 1)`,
    `if [ -n "$_kf" ]; then ks_changed ${quote(`attributes under ${p.path}`)}; ks_check || { ${apply.join(' && ')}; } || exit 1; fi`,
  ].join('\n')
}

function link(p: FileParams): string {
  const path = quote(p.path)
  const src = quote(p.src!)
  const tmp = quote(`${parentDir(p.path)}/.${p.path.split('/').pop()}.kubeseed-link`)
  const refuse = `ks_fail ${quote(`${p.path} exists and is not a link (set force: yes to replace it)`)}`
  if (p.state === 'hard') {
    return [
      `[ -e ${src} ] || ks_fail ${quote(`hard link source ${p.src} does not exist`)}`,
      `if [ ${path} -ef ${src} ]; then ks_attrs ${path} ${attrArgs(p)}; exit 0; fi`,
      p.force ? '' : `if [ -e ${path} ]; then ${refuse}; fi`,
      `ks_changed ${quote(`hard link ${p.path} -> ${p.src}`)}`,
      'ks_check && exit 0',
      `ln -f ${src} ${tmp} && mv -f ${tmp} ${path} || { rm -f ${tmp}; exit 1; }`,
      `ks_attrs ${path} ${attrArgs(p)}`,
    ].filter(Boolean).join('\n')
  }
  return [
    `if [ -L ${path} ] && [ "$(readlink ${path})" = ${src} ]; then`,
    `  ${ownerOfLink(p)}`,
    '  exit 0',
    'fi',
    `if [ -d ${path} ] && [ ! -L ${path} ]; then ks_fail ${quote(`${p.path} is a directory, not a link`)}; fi`,
    p.force ? '' : `if [ -e ${path} ] && [ ! -L ${path} ]; then ${refuse}; fi`,
    `ks_changed ${quote(`link ${p.path} -> ${p.src}`)}`,
    'ks_check && exit 0',
    // A symlink is replaced atomically: made beside it, then renamed over it.
    `rm -f ${tmp}; ln -s ${src} ${tmp} && mv -fT ${tmp} ${path} || { rm -f ${tmp}; exit 1; }`,
    ownerOfLink(p),
  ].filter(Boolean).join('\n')
}

/** Links have no mode of their own; their owner is set with chown -h. */
function ownerOfLink(p: FileParams): string {
  if (!p.owner && !p.group) return ':'
  const want = `${p.owner ?? ''}${p.group ? `:${p.group}` : ''}`
  return `_ko=$(stat -c '%U:%G' ${quote(p.path)}); case "$_ko" in ${p.owner ? quote(p.owner) : '*'}:${p.group ? quote(p.group) : '*'}) ;; *) ks_changed ${quote(`owner of link ${p.path}`)}; ks_check || chown -h ${quote(want)} ${quote(p.path)} || exit 1 ;; esac`
}

