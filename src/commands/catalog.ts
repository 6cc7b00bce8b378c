// Which module serves which command word, so the CLI loads only the module of the command it runs (a
// playbook run does not load the sandbox, the offline bundle code or the emulated binaries).

import type { Argv } from 'yargs'

export type Register = <T>(cli: Argv<T>, setCode: (c: number) => void) => Argv<T>

const play = async () => (await import('./play.js')).playCommands as Register

const MODULES: Record<string, () => Promise<Register>> = {
  play, cluster: play, scale: play, upgrade: play, reset: play, 'remove-node': play,
  inventory: async () => (await import('./inventory.js')).inventoryCommand as Register,
  facts: async () => (await import('./facts.js')).factsCommand as Register,
  offline: async () => (await import('./offline.js')).offlineCommands as Register,
  sandbox: async () => (await import('./sandbox.js')).sandboxCommands as Register,
  demo: async () => (await import('./demo.js')).demoCommand as Register,
  config: async () => (await import('./config.js')).configCommands as Register,
}

/** The command word of `argv`: its first argument that is not an option; undefined when there is none. */
function commandWord(argv: string[]): string | undefined {
  return argv.find((a) => !a.startsWith('-'))
}

/**
 * The command modules `argv` needs: the one serving its command word; none for a bare --version; every one
 * otherwise (--help lists them all, and an unknown word gets yargs' own message with the full list).
 */
export async function commandsFor(argv: string[]): Promise<Register[]> {
  const word = commandWord(argv)
  const one = word === undefined ? undefined : MODULES[word]
  if (one) return [await one()]
  if (word === undefined && argv.includes('--version') && !argv.includes('--help')) return []
  return Promise.all([...new Set(Object.values(MODULES))].map((load) => load()))
}
