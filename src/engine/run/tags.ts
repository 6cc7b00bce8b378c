// --tags / --skip-tags as Ansible applies them, including the special tags always, never, tagged, untagged.

import type { BlockDef, Item, TaskDef } from '../playbook/model.js'

export function filterTags(items: Item[], tags: string[], skipTags: string[]): Item[] {
  const keep = (t: TaskDef) => {
    const own = new Set(t.tags)
    if (skipTags.some((s) => own.has(s) || (s === 'all' && !own.has('always')))) return own.has('always') && !skipTags.includes('always')
    if (own.has('never') && !tags.some((x) => own.has(x) && x !== 'never')) return false
    if (tags.length === 0 || tags.includes('all')) return true
    if (own.has('always')) return true
    if (tags.includes('tagged') && own.size > 0) return true
    if (tags.includes('untagged') && own.size === 0) return true
    return tags.some((x) => own.has(x))
  }
  const walk = (list: Item[]): Item[] => list.flatMap((i): Item[] => {
    if (i.kind === 'task') return keep(i) ? [i] : []
    const b: BlockDef = { ...i, block: walk(i.block), rescue: walk(i.rescue), always: walk(i.always) }
    return b.block.length || b.always.length ? [b] : []
  })
  return walk(items)
}
