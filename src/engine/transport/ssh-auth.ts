// Which authentication methods to try, in OpenSSH's order: the configured key file (or the default
// identities), the ssh-agent, then the password. Secrets stay inside the returned methods.

import { readFileSync, existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import type * as Ssh2 from 'ssh2'
import type { AnyAuthMethod, AuthenticationType, AuthHandlerMiddleware, ParsedKey } from 'ssh2'
import { ConnectError } from '../errors.js'
import { onFirstUse } from '../load-on-use.js'
import type { HostAddress } from './types.js'

const ssh2 = onFirstUse<typeof Ssh2>('ssh2')

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

export interface AuthPlan {
  methods: AnyAuthMethod[]
  /** For error messages: what was tried, never a secret. */
  described: string[]
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path
}

function loadKey(file: string, host: string, required: boolean): ParsedKey | undefined {
  let data: Buffer
  try {
    data = readFileSync(file)
  } catch (e) {
    if (!required) return undefined
    const code = (e as NodeJS.ErrnoException).code
    throw new ConnectError(`cannot read private key file ${file} (${code ?? 'error'})`, { host }, false,
      'check ansible_ssh_private_key_file')
  }
  const parsed = ssh2().utils.parseKey(data)
  if (parsed instanceof Error) {
    if (!required) return undefined
    const encrypted = /encrypted|passphrase/i.test(parsed.message)
    throw new ConnectError(
      encrypted ? `private key file ${file} is protected by a passphrase` : `private key file ${file} cannot be read as an SSH private key`,
      { host }, false,
      encrypted ? `load it into ssh-agent (ssh-add ${file}) and run again` : 'point ansible_ssh_private_key_file at an OpenSSH or PEM private key')
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed
  return key && key.isPrivateKey() ? key : undefined
}

export function authPlan(addr: HostAddress, agentSocket: string | undefined): AuthPlan {
  const methods: AnyAuthMethod[] = []
  const described: string[] = []
  const username = addr.user
  if (addr.privateKeyFile) {
    const file = expandHome(addr.privateKeyFile)
    const key = loadKey(file, addr.name, true)!
    methods.push({ type: 'publickey', username, key })
    described.push(`key ${file}`)
  } else {
    for (const id of DEFAULT_IDENTITIES) {
      const file = join(homedir(), '.ssh', id)
      if (!existsSync(file)) continue
      const key = loadKey(file, addr.name, false)
      if (!key) continue
      methods.push({ type: 'publickey', username, key })
      described.push(`key ${file}`)
    }
  }
  if (agentSocket) {
    methods.push({ type: 'agent', username, agent: agentSocket })
    described.push('ssh-agent')
  }
  if (addr.password !== undefined) {
    const password = addr.password
    methods.push({ type: 'password', username, password })
    methods.push({
      type: 'keyboard-interactive', username,
      prompt: (_name, _instructions, _lang, prompts, finish) => finish(prompts.map(() => password)),
    })
    described.push('password')
  }
  return { methods, described }
}

const SERVER_NAME: Record<AnyAuthMethod['type'], AuthenticationType> = {
  publickey: 'publickey',
  agent: 'publickey',
  password: 'password',
  'keyboard-interactive': 'keyboard-interactive',
  hostbased: 'hostbased',
  none: 'none',
}

/** Tries the methods in order, skipping those the server says it does not accept. */
export function authHandler(plan: AuthPlan): AuthHandlerMiddleware {
  let next = 0
  return (authsLeft, _partial, done) => {
    while (next < plan.methods.length) {
      const m = plan.methods[next++]!
      if (!authsLeft || authsLeft.includes(SERVER_NAME[m.type])) return done(m)
    }
    return (done as unknown as (m: false) => void)(false)
  }
}
