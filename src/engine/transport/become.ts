// Privilege escalation. The script always arrives on stdin. A sudo password is the first stdin line
// (sudo -S reads it byte by byte up to the newline), followed by a random marker line: a small loop
// discards everything up to the marker, so when sudo does NOT ask (NOPASSWD, cached credentials) the
// password line is thrown away instead of being run as a command.

import { randomBytes } from 'node:crypto'
import { quote } from '../quote.js'
import type { Become } from './types.js'

export interface BecomeInvocation {
  /** The remote command line. */
  command: string
  /** Bytes to write on stdin before the script (password + marker), or ''. Never logged. */
  preamble: string
}

export function becomeInvocation(b: Become | null | undefined): BecomeInvocation {
  if (!b) return { command: '/bin/sh -s', preamble: '' }
  const user = b.user === 'root' ? [] : ['-u', quote(b.user)]
  if (b.password === undefined) {
    return { command: ['sudo', '-n', ...user, '-H', '--', '/bin/sh', '-s'].join(' '), preamble: '' }
  }
  const marker = `KSB${randomBytes(12).toString('hex')}`
  const skip = `while IFS= read -r l; do [ "$l" = ${marker} ] && exec /bin/sh -s; done; exit 1`
  return {
    command: ['sudo', '-S', '-p', "''", ...user, '-H', '--', '/bin/sh', '-c', quote(skip)].join(' '),
    preamble: `${b.password}\n${marker}\n`,
  }
}
