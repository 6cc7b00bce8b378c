// Commands the offline tools run on the controller (apt-get, skopeo, dpkg-scanpackages, tar), failing as BundleError.

import { runChecked, type CommandOptions, type CommandResult } from '../engine/local-command.js'
import { BundleError } from './manifest-error.js'

export function runCommand(cmd: string, args: string[], opts: Omit<CommandOptions, 'error'> = {}): Promise<CommandResult> {
  return runChecked(cmd, args, { ...opts, error: BundleError })
}
