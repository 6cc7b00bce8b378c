// file: a path's kind and attributes: regular file (attributes only), directory (with parents, optionally
// recursive attributes), absent, symlink, hard link, or touched (created when missing).

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import type { RemoteTaskType } from '../engine/task.js'
import { attrArgs, baseName, parentDir } from './shared/shell-args.js'

export interface FileParams {
  path: string
  state?: 'file' | 'directory' | 'absent' | 'link' | 'hard' | 'touch'
  src?: string
  mode?: string
  owner?: string
  group?: string
  recurse: boolean
  force: boolean
  follow: boolean
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
    follow: { type: 'bool', default: true },
  },
  validate(p, where) {
    if ((p.state === 'link' || p.state === 'hard') && p.src === undefined) {
      throw new PlaybookError(`file: state=${p.state} needs "src"`, where, 'add src: <the link target>')
    }
    if (p.recurse && p.state !== undefined && p.state !== 'directory') {
      throw new PlaybookError('file: recurse only works with state=directory', where, 'add state: directory or drop recurse')
    }
  },
  plan(p) {
    const path = quote(p.path)
    const attrs = `ks_attrs ${path} ${attrArgs(p)}`
    const lines: string[] = []
    // As Ansible: without a state, recurse means a directory (one that exists must be one).
    const state = p.state === undefined && p.recurse ? 'directory' : p.state
    switch (state) {
      case undefined:
      case 'file':
        // In check mode the file may be what an earlier task would have written.
        lines.push(`ks_input ${path} ${quote(`set the attributes of ${p.path}`)} ${quote(`file ${p.path} does not exist (use state: touch to create it)`)}`)
        if (p.state === 'file') lines.push(`[ -f ${path} ] || ks_fail ${quote(`${p.path} is not a regular file`)}`)
        lines.push(attrs)
        break
      case 'touch':
        // Touching always changes something (the times), in check mode too, as Ansible reports it.
        lines.push(
          `if [ ! -e ${path} ]; then ks_changed ${quote(`create ${p.path}`)}; else ks_changed ${quote(`touch ${p.path}`)}; fi`,
          `ks_check && { [ ! -e ${path} ] || ${attrs}; exit 0; }`,
          `touch ${path} || exit 1`,
          attrs,
        )
        break
      case 'directory':
        lines.push(
          `if [ -e ${path} ] && [ ! -d ${path} ]; then ks_fail ${quote(`${p.path} exists and is not a directory`)}; fi`,
          `if [ ! -d ${path} ]; then ks_changed ${quote(`create directory ${p.path}`)}; ks_check && exit 0; ${createDirs(p)}; fi`,
          attrs,
        )
        if (p.recurse && (p.mode || p.owner || p.group)) lines.push(/[^0-7]/.test(p.mode ?? '') ? entryByEntryAttrs(p) : recursiveAttrs(p))
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

/** mkdir -p, and as Ansible: every directory it made gets the asked attributes, not only the last. */
function createDirs(p: FileParams): string {
  const path = quote(p.path)
  if (!p.mode && !p.owner && !p.group) return `mkdir -p ${path} || exit 1`
  return [
    `_km=${path}; while [ ! -d "$(dirname -- "$_km")" ]; do _km=$(dirname -- "$_km"); done`,
    `mkdir -p ${path} || exit 1`,
    `find "$_km" -type d | { while IFS= read -r _ke; do ks_attrs "$_ke" ${attrArgs(p)}; done; } || exit 1`,
  ].join('; ')
}

/** A symbolic mode depends on each entry's own mode: every entry is brought to it on its own (links left alone). */
function entryByEntryAttrs(p: FileParams): string {
  return `find ${quote(p.path)} -mindepth 1 ! -type l | { while IFS= read -r _ke; do ks_attrs "$_ke" ${attrArgs(p)}; done; }`
}

function link(p: FileParams): string {
  let path = quote(p.path)
  const src = quote(p.src!)
  // A random name (mktemp -u): ln makes the link itself and fails rather than follow anything already there.
  const mkTmp = `_kl=$(mktemp -u ${quote(`${parentDir(p.path)}/.${p.path.split('/').pop()}.kubeseed-XXXXXXXX`)}) || exit 1`
  const tmp = '"$_kl"'
  const refuse = `ks_fail ${quote(`${p.path} exists and is not a link (set force: yes to replace it)`)}`
  if (p.state === 'hard') {
    // As Ansible: a hard link asked for at a directory goes inside it, under the source's name.
    const inside = quote(`${p.path.replace(/\/+$/, '')}/${baseName(p.src!)}`)
    path = '"$_kn"'
    return [
      `_kn=${quote(p.path)}; _kh=${quote(parentDir(p.path))}`,
      `if [ -d "$_kn" ] && [ ! -L "$_kn" ]; then _kh=$_kn; _kn=${inside}; fi`,
      `ks_input ${src} ${quote(`hard link ${p.path} -> ${p.src}`)} ${quote(`hard link source ${p.src} does not exist`)}`,
      `if [ ${path} -ef ${src} ]; then ks_attrs ${path} ${attrArgs(p)}; exit 0; fi`,
      p.force ? '' : `if [ -e ${path} ]; then ${refuse}; fi`,
      `ks_changed ${quote(`hard link ${p.path} -> ${p.src}`)}`,
      'ks_check && exit 0',
      `_kl=$(mktemp -u "$_kh"/${quote(`.${baseName(p.src!)}.kubeseed-XXXXXXXX`)}) || exit 1`,
      `ln ${src} "$_kl" && mv -f "$_kl" ${path} || { rm -f "$_kl"; exit 1; }`,
      `ks_attrs ${path} ${attrArgs(p)}`,
    ].filter(Boolean).join('\n')
  }
  // A relative source is relative to the link's directory.
  const absSrc = p.src!.startsWith('/') ? src : quote(`${parentDir(p.path)}/${p.src}`)
  return [
    `if [ -L ${path} ] && [ "$(readlink ${path})" = ${src} ]; then`,
    `  ${attrsOfLink(p)}`,
    '  exit 0',
    'fi',
    p.force ? '' : `ks_input ${absSrc} ${quote(`link ${p.path} -> ${p.src}`)} ${quote(`src file does not exist, use "force: yes" if you really want to create the link: ${p.src}`)}`,
    p.force
      ? `if [ -d ${path} ] && [ ! -L ${path} ] && [ -n "$(ls -A ${path})" ]; then ks_fail ${quote(`the directory ${p.path} is not empty, refusing to convert it`)}; fi`
      : `if [ -d ${path} ] && [ ! -L ${path} ]; then ks_fail ${quote(`refusing to convert from directory to symlink for ${p.path} (force: yes replaces an empty one)`)}; fi`,
    p.force ? '' : `if [ -e ${path} ] && [ ! -L ${path} ]; then ${refuse}; fi`,
    `ks_changed ${quote(`link ${p.path} -> ${p.src}`)}`,
    'ks_check && exit 0',
    // A symlink is replaced atomically: made beside it, then renamed over it (an empty directory is removed first).
    `if [ -d ${path} ] && [ ! -L ${path} ]; then rmdir ${path} || exit 1; fi`,
    mkTmp,
    `ln -s ${src} ${tmp} && mv -fT ${tmp} ${path} || { rm -f ${tmp}; exit 1; }`,
    attrsOfLink(p),
  ].filter(Boolean).join('\n')
}

/** With follow (the default), mode and owner apply to what the link points at, if that exists; else to the link. */
function attrsOfLink(p: FileParams): string {
  if (!p.follow) return ownerOfLink(p)
  if (!p.mode && !p.owner && !p.group) return ':'
  return `if [ -e ${quote(p.path)} ]; then ks_attrs "$(readlink -f ${quote(p.path)})" ${attrArgs(p)}; fi`
}

/** Links have no mode of their own; their owner is set with chown -h. */
function ownerOfLink(p: FileParams): string {
  if (!p.owner && !p.group) return ':'
  const want = `${p.owner ?? ''}${p.group ? `:${p.group}` : ''}`
  return `_ko=$(stat -c '%U:%G' ${quote(p.path)}); case "$_ko" in ${p.owner ? quote(p.owner) : '*'}:${p.group ? quote(p.group) : '*'}) ;; *) ks_changed ${quote(`owner of link ${p.path}`)}; ks_check || chown -h ${quote(want)} ${quote(p.path)} || exit 1 ;; esac`
}

