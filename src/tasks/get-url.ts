// get_url: download a file onto the host, verified by sha256 BEFORE it is moved into place. The download
// goes to a temporary file in the destination directory (same filesystem: the rename is atomic). A file
// already at dest with the right checksum is left alone, without any download (ks_sha256 hashes it again
// only when it changed). The URL is printed and returned, so a run can list every URL it used.

import { PlaybookError } from '../engine/errors.js'
import { quote } from '../engine/quote.js'
import { redactUrls, urlHasPassword } from '../engine/redact.js'
import type { RemoteTaskType } from '../engine/task.js'
import { attrArgs, baseName, parentDir } from './shared/shell-args.js'

export interface GetUrlParams {
  url: string
  dest: string
  checksum?: string
  checksum_waived: boolean
  mode?: string
  owner?: string
  group?: string
  force: boolean
  timeout: number
  retries: number
  headers?: Record<string, unknown>
  validate_certs: boolean
}

const SHA256 = /^sha256:([0-9a-fA-F]{64})$/

/** A curl config file string: double-quoted, with backslash and quote escaped. */
function curlString(s: string): string {
  return `"${s.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n')}"`
}

export const getUrl: RemoteTaskType<GetUrlParams> = {
  kind: 'remote',
  name: 'get_url',
  supportsCheck: true,
  params: {
    url: { type: 'string', required: true },
    dest: { type: 'path', required: true },
    checksum: { type: 'string' },
    // An unverified download is a deliberate choice (e.g. a file that changes upstream): say so explicitly.
    checksum_waived: { type: 'bool', default: false },
    mode: { type: 'mode' },
    owner: { type: 'string' },
    group: { type: 'string' },
    force: { type: 'bool', default: false },
    timeout: { type: 'int', default: 10 },
    retries: { type: 'int', default: 3 },
    headers: { type: 'dict' },
    validate_certs: { type: 'bool', default: true },
  },
  validate(p, where) {
    if (p.checksum === undefined && !p.checksum_waived) {
      throw new PlaybookError(`get_url: ${p.url} has no checksum`, where, "add checksum: 'sha256:<hex>' (or checksum_waived: yes, with a comment saying why)")
    }
    if (typeof p.checksum === 'string' && !p.checksum.includes('{{') && !SHA256.test(p.checksum)) {
      throw new PlaybookError(`get_url: checksum "${p.checksum}" is not sha256:<64 hex digits>`, where, "write it as 'sha256:<hex>'")
    }
    if (typeof p.url === 'string' && !p.url.includes('{{') && !/^(https?|ftp|file):\/\//.test(p.url)) {
      throw new PlaybookError(`get_url: "${p.url}" is not an http(s), ftp or file URL`, where, 'give a full URL')
    }
  },
  plan(p) {
    const dest = p.dest.endsWith('/') ? `${p.dest}${baseName(p.url.replace(/[?#].*$/, ''))}` : p.dest
    const want = p.checksum ? SHA256.exec(p.checksum)![1].toLowerCase() : ''
    const d = quote(dest)
    const dir = quote(parentDir(dest))
    const shown = redactUrls(p.url)
    const headers = Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${String(v)}`)
    // Headers (Authorization) and a URL's password go to curl in a config file (a payload, in the batch's
    // 0700 directory), never on the command line, where any user of the node could read them with ps.
    const secret = headers.length > 0 || urlHasPassword(p.url)
    const curlConfig = [`url = ${curlString(p.url)}`, ...headers.map((h) => `header = ${curlString(h)}`)].join('\n')
    const curlArgs = [
      '-fsSL', '--retry', String(p.retries), '--retry-delay', '2', '--connect-timeout', String(p.timeout),
      ...(p.validate_certs ? [] : ['-k']), ...(secret ? ['--config', '"$KS_P0"'] : [quote(p.url)]),
    ].join(' ')
    const wgetArgs = [
      '-q', '-t', String(p.retries + 1), '-T', String(p.timeout),
      ...(p.validate_certs ? [] : ['--no-check-certificate']),
    ].join(' ')
    const lines = [
      `echo url: ${quote(shown)}`,
      `if [ -d ${d} ]; then ks_fail ${quote(`${dest} is a directory: end dest with / to download into it`)}; fi`,
    ]
    if (want) {
      lines.push(`if [ -f ${d} ] && [ "$(ks_sha256 ${d})" = ${want} ]; then ks_attrs ${d} ${attrArgs(p)}; exit 0; fi`)
    } else if (!p.force) {
      lines.push(`if [ -f ${d} ]; then ks_attrs ${d} ${attrArgs(p)}; exit 0; fi`)
    }
    lines.push(
      `ks_changed ${quote(`download ${shown} to ${dest}`)}`,
      'ks_check && exit 0',
      `[ -d ${dir} ] || ks_fail ${quote(`directory ${parentDir(dest)} does not exist (create it first)`)}`,
      `ks_sweep ${d}`,
      `_kt=$(mktemp ${quote(`${parentDir(dest)}/.${baseName(dest)}.kubeseed-XXXXXX`)}) || exit 1`,
      `trap 'rm -f "$_kt"' EXIT`,
      // Owner and mode before any byte arrives: a download is never readable by more users than dest.
      p.owner || p.group ? `chown ${quote(`${p.owner ?? ''}${p.group ? `:${p.group}` : ''}`)} "$_kt" || exit 1` : ':',
      `chmod ${p.mode ? quote(p.mode) : '0644'} "$_kt" || exit 1`,
      'if command -v curl >/dev/null 2>&1; then',
      `  curl ${curlArgs} -o "$_kt" || ks_fail ${quote(`download of ${shown} failed`)}`,
      secret ? `elif command -v wget >/dev/null 2>&1; then\n  ks_fail ${quote(`${shown}: install curl (wget would put the headers or password on the command line)`)}`
        : `elif command -v wget >/dev/null 2>&1; then\n  wget ${wgetArgs} -O "$_kt" ${quote(p.url)} || ks_fail ${quote(`download of ${shown} failed`)}`,
      'else',
      `  ks_fail 'neither curl nor wget is installed on this host'`,
      'fi',
    )
    if (want) {
      lines.push(
        '_kg=$(sha256sum < "$_kt" | cut -c1-64)',
        `[ "$_kg" = ${want} ] || ks_fail "checksum mismatch for "${quote(shown)}": expected ${want}, got $_kg"`,
      )
    }
    lines.push(`mv -f "$_kt" ${d} || exit 1`)
    return { script: lines.join('\n'), payloads: secret ? [curlConfig] : [] }
  },
  finish(p) {
    return { url: redactUrls(p.url), dest: p.dest, checksum: p.checksum }
  },
}
