// What a suite needs from the machine. A missing piece fails the suite with one line naming it and what to do;
// nothing is skipped, so a green run means every test ran.

import { spawnSync } from 'node:child_process'

/** An error mocha prints as its one line, without a stack trace (the trace would only point here). */
class MissingRequirement extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MissingRequirement'
    this.stack = `${this.name}: ${message}`
  }
}

export function requireRoot(why: string): void {
  if (process.getuid?.() !== 0) throw new MissingRequirement(`needs root (${why}): run as root (CI does)`)
}

/** `command --version` must run; `install` says how to get it. */
export function requireCommand(command: string, install: string): void {
  if (spawnSync(command, ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new MissingRequirement(`${command} missing: ${install}`)
  }
}
