// The keywords kubeseed understands, per level, and "did you mean" for the rest.

import { closestWord } from '../did-you-mean.js'

export const TASK_KEYWORDS = new Set([
  'name', 'when', 'loop', 'with_items', 'with_list', 'loop_control', 'register', 'notify', 'tags', 'become',
  'become_user', 'become_method', 'delegate_to', 'run_once', 'retries', 'delay', 'until', 'changed_when',
  'failed_when', 'ignore_errors', 'no_log', 'check_mode', 'environment', 'vars', 'args', 'listen',
])

export const BLOCK_KEYWORDS = new Set([
  'name', 'block', 'rescue', 'always', 'when', 'tags', 'become', 'become_user', 'become_method', 'vars',
  'environment', 'no_log', 'ignore_errors', 'check_mode', 'delegate_to', 'run_once',
])

export const PLAY_KEYWORDS = new Set([
  'name', 'hosts', 'gather_facts', 'serial', 'max_fail_percentage', 'any_errors_fatal', 'strategy', 'vars',
  'vars_files', 'roles', 'pre_tasks', 'tasks', 'post_tasks', 'handlers', 'become', 'become_user', 'become_method',
  'environment', 'tags', 'no_log', 'check_mode',
])

export const ROLE_ENTRY_KEYWORDS = new Set(['role', 'name', 'vars', 'when', 'tags', 'become', 'become_user'])

/** A hint naming the closest known word, or the list when nothing is close. */
export function suggest(word: string, known: string[]): string {
  const near = closestWord(word, known)
  if (near !== undefined) return `did you mean '${near}'?`
  return `known: ${[...known].sort().slice(0, 40).join(', ')}`
}
