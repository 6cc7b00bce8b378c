// SSH keys made by the sandbox: the bastion's login key, and each node's host key, so the nodes'
// identities are known before they boot and host-key checking can stay strict.

import { chmodSync, existsSync, readFileSync } from 'node:fs'
import { run } from './host-command.js'

/** Creates an ed25519 key pair at `file` (+ `.pub`) unless one is there; returns the public key line. */
export async function ensureKeyPair(file: string, comment: string): Promise<string> {
  if (!existsSync(file) || !existsSync(`${file}.pub`)) {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { input: 'y\n' })
  }
  chmodSync(file, 0o600)
  return readFileSync(`${file}.pub`, 'utf8').trim()
}
