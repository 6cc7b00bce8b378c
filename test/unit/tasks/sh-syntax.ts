// Checks that a generated step script is valid POSIX sh (dash -n parses without running anything).

import { spawnSync } from 'node:child_process'
import { PRELUDE } from '../../../src/engine/step/prelude.js'

export function shSyntaxError(script: string): string | undefined {
  const r = spawnSync('/bin/sh', ['-n'], { input: `${PRELUDE}\n(\n${script}\n)\n`, encoding: 'utf8' })
  return r.status === 0 ? undefined : r.stderr || `sh -n exited ${r.status}`
}
