// The keywords kubeseed understands, per level, and "did you mean" for the rest.

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

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
  }
  return d[a.length][b.length]
}

/** A hint naming the closest known word, or the list when nothing is close. */
export function suggest(word: string, known: string[]): string {
  const best = known.map((k) => ({ k, d: distance(word, k) })).sort((x, y) => x.d - y.d)[0]
  if (best && best.d <= Math.max(2, Math.floor(word.length / 3))) return `did you mean '${best.k}'?`
  return `known: ${[...known].sort().slice(0, 40).join(', ')}`
}
