// `meta:` actions: instructions to the runner itself rather than to a host. This list is the one home of
// what kubeseed accepts: tasks/meta.ts takes its choices from it, and the runner carries out each one.

export const META_ACTIONS = {
  noop: 'do nothing',
  flush_handlers: 'run the handlers notified so far, now',
  end_host: 'end the play for this host',
  end_batch: 'end the current serial batch (the next batch runs)',
  end_play: 'end the play for every host (later plays run)',
  clear_host_errors: 'let the hosts failed so far in this play run again (the recap keeps their failures)',
  clear_facts: 'accepted for compatibility: kubeseed keeps no fact cache per play',
  refresh_inventory: 'accepted for compatibility: the inventory is read once per run',
} as const

export type MetaAction = keyof typeof META_ACTIONS

export const META_ACTION_NAMES = Object.keys(META_ACTIONS) as MetaAction[]

export function isMetaAction(name: string): name is MetaAction {
  return Object.hasOwn(META_ACTIONS, name)
}
