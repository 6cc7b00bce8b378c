// Names the sandbox gives to the things it creates on the bastion, derived from the sandbox's name.
// Linux caps interface names at 15 bytes, so `ks-<name>` leaves 12 for the name.

import { UsageError } from '../engine/errors.js'

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/

export function checkSandboxName(name: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(`bad sandbox name "${name}"`, undefined,
      'use 1-12 lower-case letters, digits or dashes, starting and ending with a letter or digit')
  }
  return name
}

export function bridgeName(sandbox: string): string {
  return `ks-${sandbox}`
}

export function nodeName(index: number): string {
  return `node${index + 1}`
}

export function machineName(sandbox: string, node: string): string {
  return `${sandbox}-${node}`
}
