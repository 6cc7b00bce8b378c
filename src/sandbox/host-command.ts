// Commands the sandbox runs on the bastion itself (ip, mount, ssh-keygen, chroot...), failing as SandboxError.

import { runAny as runLocal, runChecked, type CommandOptions, type CommandResult } from '../engine/local-command.js'
import { SandboxError } from './sandbox-error.js'

export type { CommandResult }

type Options = Omit<CommandOptions, 'error'>

/** Runs a command and returns its exit code and output, whatever the code. */
export function runAny(cmd: string, args: string[], opts: Options = {}): Promise<CommandResult> {
  return runLocal(cmd, args, { ...opts, error: SandboxError })
}

/** Runs a command and fails with its stderr tail unless it exits 0; returns its stdout. */
export async function run(cmd: string, args: string[], opts: Options = {}): Promise<string> {
  return (await runChecked(cmd, args, { ...opts, error: SandboxError })).stdout
}
