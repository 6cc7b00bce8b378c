// The task contract. A task type turns validated parameters and the host's facts into ONE idempotent
// remote Step (pure: no I/O), or runs on the controller only (debug, set_fact, assert, fail...).
// Task types register in src/tasks/index.ts; the engine never imports a concrete task.

import type { Where } from './errors.js'
import type { MetaAction } from './meta-actions.js'
import type { Step, StepOutput } from './step/types.js'

export type ParamType = 'string' | 'bool' | 'int' | 'number' | 'mode' | 'list' | 'dict' | 'any' | 'path' | 'raw'

export interface ParamDef {
  type: ParamType
  required?: boolean
  choices?: readonly string[]
  default?: unknown
  aliases?: readonly string[]
  /** Element type for lists. */
  items?: ParamType
  /** Never shown in logs, diffs or errors (passwords, tokens, keys). */
  secret?: boolean
}

export type ParamSpec = Record<string, ParamDef>

/** Facts of one host, as gathered in one exec (see src/engine/facts). */
export type Facts = Record<string, unknown>

/** A controller path as copy sees it (see run/local-tree.ts). */
export interface LocalEntry {
  /** The path found (absolute when the search made it so). */
  path: string
  dir: boolean
  /** Permission bits (07777). */
  mode: number
  files?: Array<{ rel: string; mode: number }>
  dirs?: string[]
}

export interface PlanContext {
  host: string
  where: Where
  facts: Facts
  check: boolean
  diff: boolean
  /** A variable of the host (templated lazily); throws TemplateError when undefined. */
  vars(name: string): unknown
  hasVar(name: string): boolean
  /** Evaluate a bare expression (assert's `that`) in the host's scope. */
  evaluate(expr: string): unknown
  /** Render a string template in the host's scope with Ansible's rules for the result's type. */
  render(template: string): unknown
  /** Render templates/<name> (handlebars) for this host, with optional extra variables. */
  renderTemplate(name: string, extra?: Record<string, unknown>): string
  /** Read a file on the controller (copy src=..., relative to the playbook/role dirs). */
  readLocalFile(path: string): Buffer
  /** Kind and mode of a controller path (copy's src), with a directory's files; throws when it is missing. */
  statLocal(path: string): LocalEntry
}

export interface LocalResult {
  changed?: boolean
  failed?: boolean
  skipped?: boolean
  msg?: string
  /** Print msg even without -v (debug's output, as Ansible always shows it). */
  display?: boolean
  /** Extra fields for `register`, and for set_fact: the facts to set. */
  data?: Record<string, unknown>
  facts?: Record<string, unknown>
}

interface TaskTypeBase<P> {
  /** Module name as written in a task: 'file', 'template', 'systemd', ... */
  name: string
  /** Other names for it: 'systemd_service', 'ansible.posix.sysctl' (the registry adds each short name's `ansible.builtin.` form). */
  aliases?: readonly string[]
  params: ParamSpec
  /** Parameter that a scalar module value fills: `command: echo hi` -> cmd. */
  freeForm?: string
  /** Cross-field checks after types are checked; throw PlaybookError with `where`. */
  validate?(p: P, where: Where): void
  /** Ansible's check_mode support: false for types that cannot predict (then skipped in check mode). */
  supportsCheck?: boolean
}

export interface RemoteTaskType<P = Record<string, unknown>> extends TaskTypeBase<P> {
  kind: 'remote'
  plan(p: P, ctx: PlanContext): Step
  /** Controller-side completion: e.g. fetch writes the file locally. Returns extra register fields. */
  finish?(p: P, out: StepOutput, ctx: PlanContext): Record<string, unknown> | Promise<Record<string, unknown>>
}

export interface LocalTaskType<P = Record<string, unknown>> extends TaskTypeBase<P> {
  kind: 'local'
  run(p: P, ctx: PlanContext): LocalResult | Promise<LocalResult>
}

/** A task that steers the run itself (meta): the runner carries out the action it names, for the whole batch. */
export interface RunControlTaskType<P = Record<string, unknown>> extends TaskTypeBase<P> {
  kind: 'run-control'
  action(p: P): MetaAction
}

export type TaskType<P = Record<string, unknown>> = RemoteTaskType<P> | LocalTaskType<P> | RunControlTaskType<P>
