// Typed errors with the context a user needs to fix the problem.
// The CLI prints `err.message` as one line (no stack) for every KubeseedError.

import { failureSummary } from './step/failure-lines.js'

export interface Where {
  file?: string
  line?: number
  host?: string
  task?: string
}

export function formatWhere(w: Where | undefined): string {
  if (!w) return ''
  const parts: string[] = []
  if (w.file) parts.push(w.line ? `${w.file}:${w.line}` : w.file)
  if (w.host) parts.push(`host ${w.host}`)
  if (w.task) parts.push(`task "${w.task}"`)
  return parts.join(', ')
}

/** Exit codes documented in the README. */
export const ExitCode = {
  ok: 0,
  hostFailed: 2,
  unreachable: 3,
  badInput: 4,
  /** Stopped by SIGINT (Ctrl-C) or SIGTERM, as a shell reports a command ended by SIGINT. */
  interrupted: 130,
} as const

export class KubeseedError extends Error {
  readonly where?: Where
  readonly hint?: string
  readonly exitCode: number = ExitCode.badInput
  constructor(what: string, where?: Where, hint?: string) {
    const at = formatWhere(where)
    super(`${at ? `${at}: ` : ''}${what}${hint ? ` (${hint})` : ''}`)
    this.name = new.target.name
    this.where = where
    this.hint = hint
  }
}

/** Bad inventory: names file and line. */
export class InventoryError extends KubeseedError {}
/** Bad playbook, role or task definition. */
export class PlaybookError extends KubeseedError {}
/** A template or variable could not be rendered: names template/var, file and host. */
export class TemplateError extends KubeseedError {}
/** An expression (when, until, ...) could not be parsed or evaluated. */
export class ExprError extends KubeseedError {}
/** Command-line misuse. */
export class UsageError extends KubeseedError {}

/** A host could not be reached. `retryable` tells whether trying again may help. */
export class ConnectError extends KubeseedError {
  override readonly exitCode: number = ExitCode.unreachable
  readonly retryable: boolean
  constructor(what: string, where: Where, retryable: boolean, hint?: string) {
    super(what, where, hint)
    this.retryable = retryable
  }
}

/** A step failed on a host. */
export class StepError extends KubeseedError {
  override readonly exitCode: number = ExitCode.hostFailed
  readonly rc: number
  readonly stderrTail: string
  constructor(what: string, where: Where, rc: number, stderr: string) {
    const tail = stderr.trim() ? failureSummary(stderr, '', rc) : ''
    super(`${what} (exit ${rc})${tail ? `: ${tail}` : ''}`, where)
    this.rc = rc
    this.stderrTail = tail
  }
}

export function isKubeseedError(e: unknown): e is KubeseedError {
  return e instanceof KubeseedError
}
