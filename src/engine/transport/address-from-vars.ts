// From a host's Ansible connection variables to a HostAddress: ansible_host/port/user, key file, passwords,
// ansible_connection, and a jump host from kubespray's bastion or from ProxyJump / ProxyCommand="ssh -W ..."
// in ansible_ssh_common_args / ansible_ssh_extra_args (the forms inventories in the wild use).

import { userInfo } from 'node:os'
import { basename } from 'node:path'
import { InventoryError } from '../errors.js'
import { shlexSplit, ShlexError } from '../shlex.js'
import type { HostAddress } from './types.js'

/** Every variable addressFromVars reads: what a caller looks up in the host's scope. */
export const CONNECTION_VARS: readonly string[] = [
  'ansible_connection', 'ansible_host', 'ansible_ssh_host', 'ansible_port', 'ansible_ssh_port',
  'ansible_user', 'ansible_ssh_user', 'ansible_remote_user', 'ansible_ssh_private_key_file', 'ansible_private_key_file',
  'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password',
  'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass',
  'ansible_ssh_common_args', 'ansible_ssh_extra_args',
]

export interface BastionVars {
  name: string
  vars: Record<string, unknown>
}

function text(vars: Record<string, unknown>, host: string, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = vars[n]
    if (v === undefined || v === null) continue
    if (typeof v === 'string' || typeof v === 'number') return String(v)
    throw new InventoryError(`${n} must be a string, not ${Array.isArray(v) ? 'a list' : typeof v}`, { host })
  }
  return undefined
}

function portOf(value: string, host: string, what: string): number {
  const port = Number(value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new InventoryError(`${what} ${JSON.stringify(value)} is not a TCP port`, { host }, 'use a number from 1 to 65535')
  }
  return port
}

function localUser(): string {
  return process.env.USER ?? userInfo().username
}

/** `user@host:port`, `host`, `[v6]:port` or `ssh://user@host:port`, as ssh -J and ProxyJump take it. */
function parseDestination(dest: string, host: string, defaults: Partial<HostAddress>): HostAddress {
  const m = dest.replace(/^ssh:\/\//, '').match(/^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/)
  if (!m) throw new InventoryError(`cannot read jump host ${JSON.stringify(dest)}`, { host }, 'write it as user@host or user@host:port')
  const address = m[2]!.replace(/^\[|\]$/g, '')
  return {
    name: address,
    connection: 'ssh',
    address,
    port: m[3] ? portOf(m[3], host, 'jump host port') : (defaults.port ?? 22),
    user: m[1] ?? defaults.user ?? localUser(),
    privateKeyFile: defaults.privateKeyFile,
  }
}

/** `ProxyJump=a,b`: connect to a, from there to b, from there to the node. */
function proxyJumpChain(value: string, host: string, nodeKey: string | undefined): HostAddress | undefined {
  if (value.toLowerCase() === 'none') return undefined
  let jump: HostAddress | undefined
  for (const hop of value.split(',')) {
    const next = parseDestination(hop.trim(), host, { privateKeyFile: nodeKey })
    if (jump) next.jump = jump
    jump = next
  }
  return jump
}

const SSH_FLAGS_WITH_ARG = new Set('BbcDEeFIiJLlmOopQRSWw'.split(''))

/** The jump host of `ProxyCommand=ssh [opts] [user@]bastion [-W %h:%p | nc %h %p]`. */
function proxyCommandJump(command: string, host: string, nodeKey: string | undefined): HostAddress | undefined {
  if (command.toLowerCase() === 'none') return undefined
  let argv: string[]
  try {
    argv = shlexSplit(command)
  } catch (e) {
    if (e instanceof ShlexError) throw new InventoryError(`cannot read ProxyCommand ${JSON.stringify(command)}: ${e.message}`, { host })
    throw e
  }
  const unsupported = () => new InventoryError(`ProxyCommand ${JSON.stringify(command)} is not supported`, { host },
    "use -o ProxyJump=user@bastion or -o ProxyCommand='ssh -W %h:%p user@bastion'")
  if (!argv[0] || basename(argv[0]) !== 'ssh') throw unsupported()
  let port: number | undefined
  let user: string | undefined
  let key: string | undefined
  let inner: HostAddress | undefined
  let dest: string | undefined
  let forwards = false
  let remote: string[] = []
  // Like ssh itself: options may come before or after the destination; the first other word after it
  // starts the remote command.
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!
    if (!a.startsWith('-') || a === '-') {
      if (dest) { remote = argv.slice(i); break }
      dest = a
      continue
    }
    for (let j = 1; j < a.length; j++) {
      const flag = a[j]!
      if (!SSH_FLAGS_WITH_ARG.has(flag)) continue
      const arg = j + 1 < a.length ? a.slice(j + 1) : argv[++i]
      if (arg === undefined) throw unsupported()
      if (flag === 'p') port = portOf(arg, host, 'ProxyCommand port')
      else if (flag === 'l') user = arg
      else if (flag === 'i') key = arg
      else if (flag === 'W') forwards = true
      else if (flag === 'J') inner = proxyJumpChain(arg, host, nodeKey)
      else if (flag === 'o') {
        const [k, v] = splitOption(arg)
        if (k === 'port') port = portOf(v, host, 'ProxyCommand port')
        else if (k === 'user') user = v
        else if (k === 'identityfile') key = v
        else if (k === 'proxyjump') inner = proxyJumpChain(v, host, nodeKey)
      }
      break
    }
  }
  const viaNc = ['nc', 'ncat', 'netcat'].includes(basename(remote[0] ?? ''))
  if (!dest || (!forwards && !viaNc)) throw unsupported()
  const jump = parseDestination(dest, host, { port, user, privateKeyFile: key ?? nodeKey })
  if (port !== undefined) jump.port = port
  if (user !== undefined) jump.user = user
  if (inner) jump.jump = inner
  return jump
}

function splitOption(opt: string): [string, string] {
  const m = opt.match(/^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s)
  return m ? [m[1]!.toLowerCase(), m[2]!.trim()] : [opt.toLowerCase(), '']
}

function sshArgv(args: string, host: string): string[] {
  try {
    return shlexSplit(args)
  } catch (e) {
    if (e instanceof ShlexError) throw new InventoryError(`cannot read ssh arguments ${JSON.stringify(args)}: ${e.message}`, { host })
    throw e
  }
}

/** known_hosts files named in ssh arguments (-o UserKnownHostsFile=A [B]): kubeseed checks keys against them too. */
export function knownHostsFromSshArgs(args: string, host: string): string[] {
  const argv = sshArgv(args, host)
  const files: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    const opt = a === '-o' ? argv[++i] : a.startsWith('-o') ? a.slice(2) : undefined
    if (opt === undefined) continue
    const [k, v] = splitOption(opt)
    if (k === 'userknownhostsfile') files.push(...v.split(/\s+/).filter((f) => f && f !== '/dev/null'))
  }
  return files
}

/** The jump host named in ssh arguments, if any: -J, -o ProxyJump=..., -o ProxyCommand=... */
export function jumpFromSshArgs(args: string, host: string, nodeKey?: string): HostAddress | undefined {
  const argv = sshArgv(args, host)
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    let opt: string | undefined
    if (a === '-o') opt = argv[++i]
    else if (a.startsWith('-o')) opt = a.slice(2)
    else if (a === '-J') return proxyJumpChain(argv[++i] ?? '', host, nodeKey)
    else if (a.startsWith('-J')) return proxyJumpChain(a.slice(2), host, nodeKey)
    if (opt === undefined) continue
    const [k, v] = splitOption(opt)
    if (k === 'proxyjump') return proxyJumpChain(v, host, nodeKey)
    if (k === 'proxycommand') return proxyCommandJump(v, host, nodeKey)
  }
  return undefined
}

/**
 * Maps a host's variables to how kubeseed reaches it. `bastion` is kubespray's `bastion` group host, used
 * as jump host unless the host's own ssh arguments name one (or it is the bastion itself).
 */
export function addressFromVars(name: string, vars: Record<string, unknown>, bastion?: BastionVars): HostAddress {
  const conn = text(vars, name, 'ansible_connection') ?? 'ssh'
  let connection: HostAddress['connection']
  if (['ssh', 'smart', 'paramiko', 'paramiko_ssh'].includes(conn)) connection = 'ssh'
  else if (conn === 'local') connection = 'local'
  else throw new InventoryError(`ansible_connection "${conn}" is not supported`, { host: name }, 'use ssh or local')

  const privateKeyFile = text(vars, name, 'ansible_ssh_private_key_file', 'ansible_private_key_file')
  const addr: HostAddress = {
    name,
    connection,
    address: text(vars, name, 'ansible_host', 'ansible_ssh_host') ?? name,
    port: portOf(text(vars, name, 'ansible_port', 'ansible_ssh_port') ?? '22', name, 'ansible_port'),
    user: text(vars, name, 'ansible_user', 'ansible_ssh_user', 'ansible_remote_user') ?? localUser(),
  }
  if (privateKeyFile !== undefined) addr.privateKeyFile = privateKeyFile
  const password = text(vars, name, 'ansible_password', 'ansible_ssh_pass', 'ansible_ssh_password')
  if (password !== undefined) addr.password = password
  const becomePassword = text(vars, name, 'ansible_become_password', 'ansible_become_pass', 'ansible_sudo_pass')
  if (becomePassword !== undefined) addr.becomePassword = becomePassword
  if (connection === 'local') return addr

  for (const argsVar of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const args = text(vars, name, argsVar)
    const jump = args ? jumpFromSshArgs(args, name, privateKeyFile) : undefined
    if (jump) { addr.jump = jump; return addr }
  }
  if (bastion && bastion.name !== name) {
    const b = addressFromVars(bastion.name, bastion.vars)
    // kubespray's bastion ProxyCommand passes the node's key (-i) to the bastion as well.
    addr.jump = { ...b, privateKeyFile: b.privateKeyFile ?? privateKeyFile, jump: undefined }
    if (b.jump) addr.jump.jump = b.jump
  }
  return addr
}
