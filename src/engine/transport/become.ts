// The remote command line for privilege escalation. The script itself always arrives on stdin;
// a sudo password, when needed, is the first stdin line (sudo -S reads it byte by byte up to the newline).

import { quote } from '../quote.js'
import type { Become } from './types.js'

export function becomeCommand(b: Become | null | undefined): string {
  if (!b) return '/bin/sh -s'
  const user = b.user === 'root' ? [] : ['-u', quote(b.user)]
  const prompt = b.password ? ['-S', '-p', "''"] : ['-n']
  return ['sudo', ...prompt, ...user, '-H', '--', '/bin/sh', '-s'].join(' ')
}
