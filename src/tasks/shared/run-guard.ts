// What command and shell share: creates/removes guards, chdir, stdin, check mode.

import { quote } from '../../engine/quote.js'

export interface RunParams {
  creates?: string
  removes?: string
  chdir?: string
  stdin?: string
  stdin_add_newline: boolean
}

export const RUN_PARAM_SPEC = {
  creates: { type: 'path' },
  removes: { type: 'path' },
  chdir: { type: 'path' },
  stdin: { type: 'string' },
  stdin_add_newline: { type: 'bool', default: true },
  // Accepted for Ansible compatibility; output is always kept as the command printed it.
  strip_empty_ends: { type: 'bool', default: true },
} as const

/**
 * Wrap the shell text `run` (the command itself) with the guards. The command is always `changed` when it
 * runs; creates/removes turn it into `ok` without running. In check mode, as Ansible: with creates/removes
 * it is `changed` when it would run, without them it is skipped.
 */
export function guardedRun(kind: string, p: RunParams, run: string): { script: string; payloads: string[] } {
  const lines: string[] = []
  // Globs in creates/removes are expanded like Ansible does (glob.glob): any match counts.
  if (p.creates !== undefined) {
    lines.push(`for _kc in ${globWords(p.creates)}; do if [ -e "$_kc" ]; then echo ${quote(`skipped, since ${p.creates} exists`)}; exit 0; fi; done`)
  }
  if (p.removes !== undefined) {
    lines.push(`_kr=0; for _kc in ${globWords(p.removes)}; do [ -e "$_kc" ] && _kr=1; done`)
    lines.push(`[ "$_kr" = 1 ] || { echo ${quote(`skipped, since ${p.removes} does not exist`)}; exit 0; }`)
  }
  if (p.creates !== undefined || p.removes !== undefined) lines.push(`if ks_check; then ks_changed ${quote(`${kind} would run`)}; exit 0; fi`)
  else lines.push(`if ks_check; then ks_skipped ${quote(`${kind} would run (not run in check mode)`)}; exit 0; fi`)
  // The physical directory, as Python's os.chdir leaves it: $PWD never names a symlink on the way.
  if (p.chdir !== undefined) lines.push(`cd -P ${quote(p.chdir)} || ks_fail ${quote(`Unable to change directory before execution: ${p.chdir}`)}`)
  lines.push(`ks_changed ${quote(`ran ${kind}`)}`)
  const payloads: string[] = []
  if (p.stdin !== undefined) {
    payloads.push(p.stdin_add_newline ? `${p.stdin}\n` : p.stdin)
    lines.push(`${run} < "$KS_P0"`)
  } else {
    lines.push(run)
  }
  return { script: lines.join('\n'), payloads }
}

/** A path pattern as shell words: literal parts quoted, glob characters left active. */
function globWords(pattern: string): string {
  return pattern
    .split(/([*?])/)
    .map((part) => (part === '*' || part === '?' ? part : part ? quote(part) : ''))
    .join('')
}
