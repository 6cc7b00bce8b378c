// Small pieces every task script uses to call the prelude helpers safely.

import { quote } from '../../engine/quote.js'
import type { PlanContext } from '../../engine/task.js'

/** A quoted optional argument: '' when absent, so positional helper arguments stay in place. */
export function optArg(v: string | undefined): string {
  return v === undefined ? "''" : quote(v)
}

/** The MODE OWNER GROUP arguments of ks_put / ks_attrs. */
export function attrArgs(p: { mode?: string; owner?: string; group?: string }): string {
  return `${optArg(p.mode)} ${optArg(p.owner)} ${optArg(p.group)}`
}

/**
 * Diff mode is batch-wide (KS_DIFF). A task planned with ctx.diff false (diff off, or no_log) switches it
 * off for its own subshell, so file content it writes never shows up in a diff.
 */
export function diffPrologue(ctx: PlanContext): string {
  return ctx.diff ? '' : 'KS_DIFF=0\n'
}

/**
 * The tail shared by the awk-driven editors (lineinfile, blockinfile): the program writes the new content to
 * "$KS_OUT" and exits 0 (changed, printing what it did) or 3 (nothing to do); the result is installed with
 * ks_put (atomic), or only attributes are fixed. `path` is a shell word for the file (quoted or a variable).
 */
export function awkEditScript(awk: string, path: string, file: { path: string; mode?: string; owner?: string; group?: string }, failMsg: string): string[] {
  return [
    '_kt=$(mktemp) || exit 1',
    `trap 'rm -f "$_kt"' EXIT`,
    'export KS_OUT="$_kt"',
    `_kmsg=$(awk ${quote(awk)} "$([ -f ${path} ] && printf %s ${path} || printf %s /dev/null)"); _krc=$?`,
    'case $_krc in',
    '  0) [ -n "$_kmsg" ] && echo "$_kmsg"',
    `     [ -f ${path} ] || ks_check || mkdir -p ${quote(parentDir(file.path))} || exit 1`,
    `     ks_put "$_kt" ${path} ${attrArgs(file)} ;;`,
    `  3) [ ! -f ${path} ] || ks_attrs ${path} ${attrArgs(file)} ;;`,
    `  *) ks_fail ${quote(failMsg)} ;;`,
    'esac',
  ]
}

/** The directory part of a POSIX path ('/' for top-level entries). */
export function parentDir(path: string): string {
  const trimmed = path.replace(/\/+$/, '')
  const i = trimmed.lastIndexOf('/')
  if (i <= 0) return i === 0 ? '/' : '.'
  return trimmed.slice(0, i)
}

/** The last component of a path. */
export function baseName(path: string): string {
  const trimmed = path.replace(/\/+$/, '')
  return trimmed.slice(trimmed.lastIndexOf('/') + 1)
}
