// The loaded form of playbooks, roles and tasks. Loading resolves roles, blocks and imports into a tree of
// tasks with every inherited keyword already applied, so the runner only follows it.

import type { Where } from '../errors.js'

/** One file of a role's defaults or vars (`defaults/main.yaml`, or each file of `defaults/main/`). */
export interface RoleVarsFile {
  file: string
  data: Record<string, unknown>
  lines?: Record<string, number>
}

export interface RoleRef {
  name: string
  dir: string
  /** All defaults merged (later files win); `defaultsFiles` keeps them apart for error messages. */
  defaults: Record<string, unknown>
  defaultsFiles: RoleVarsFile[]
  vars: Record<string, unknown>
  varsFiles: RoleVarsFile[]
}

export interface TaskDef {
  kind: 'task'
  id: number
  name: string
  module: string
  args: unknown
  where: Where
  when: Array<string | boolean>
  loop?: unknown
  loopVar: string
  loopLabel?: string
  register?: string
  notify: string[]
  tags: string[]
  become?: boolean
  becomeUser?: string
  delegateTo?: string
  runOnce: boolean
  /** A number, or a template rendered when the task runs. */
  retries?: number | string
  delay: number | string
  until?: string
  changedWhen?: Array<string | boolean>
  failedWhen?: Array<string | boolean>
  ignoreErrors: boolean
  noLog: boolean
  checkMode?: boolean
  environment: Array<Record<string, unknown> | string>
  vars: Record<string, unknown>
  role?: RoleRef
  /** Handlers only: names it answers to (its name plus `listen`). */
  listen?: string[]
}

export interface BlockDef {
  kind: 'block'
  id: number
  name?: string
  where: Where
  block: Item[]
  rescue: Item[]
  always: Item[]
}

export type Item = TaskDef | BlockDef

export interface PlayDef {
  name: string
  where: Where
  hosts: string
  gatherFacts: boolean
  serial: Array<number | string>
  maxFailPercentage?: number
  anyErrorsFatal: boolean
  strategy: 'linear' | 'free'
  vars: Record<string, unknown>
  varsLines?: Record<string, number>
  roles: RoleRef[]
  /** Roles only imported by tasks (import_role): their defaults and vars are the play's too, as in Ansible. */
  importedRoles?: RoleRef[]
  items: Item[]
  handlers: TaskDef[]
  /** Directory of the playbook file: relative paths (copy src, vars_files) resolve from here. */
  baseDir: string
}

/** Every role whose defaults and vars a play has: its own roles, then those only imported by its tasks. */
export function rolesOfPlay(play: PlayDef): RoleRef[] {
  return [...play.roles, ...(play.importedRoles ?? []).filter((r) => !play.roles.includes(r))]
}

export interface Playbook {
  file: string
  plays: PlayDef[]
}
