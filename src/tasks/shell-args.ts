// Small pieces every task script uses to call the prelude helpers safely.

import { quote } from '../engine/quote.js'
import type { PlanContext } from '../engine/task.js'

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
