// The heavy packages (ssh2, handlebars, listr2) are required on first use, not imported at start: most
// commands, and many runs, need some of them not at all. The CLI bundle leaves exactly these outside
// (scripts/bundle-cli.mjs), so this is also what keeps them out of a run that does not use them.
// Handlebars' runtime alone runs templates compiled in an earlier run; its compiler is required only for a
// template not compiled yet.

import { createRequire } from 'node:module'

const requireCjs = createRequire(import.meta.url)

/** A getter that requires `pkg` (its CommonJS build) the first time it is called. */
export function onFirstUse<T>(pkg: 'ssh2' | 'handlebars' | 'handlebars/runtime' | 'listr2'): () => T {
  let loaded: T | undefined
  return () => (loaded ??= requireCjs(pkg) as T)
}
