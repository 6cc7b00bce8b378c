// Host keys as Ansible reads them: an optional `:port`, and `[a:b]` / `[a:b:step]` ranges
// (numeric with zero padding, or letters) expanding to several hosts.

export class HostPatternError extends Error {}

const RANGE = String.raw`\[(?:[a-z]:[a-z]|[0-9a-f]+:[0-9a-f]+)(?::[0-9]+)?\]`
const LABEL = String.raw`(?:[\p{L}\p{N}_]|${RANGE})(?:(?:[\p{L}\p{N}_-]|${RANGE})*(?:[\p{L}\p{N}_]|${RANGE}))?`
const HOSTNAME_RE = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`, 'iu')
const IPV4_PART = String.raw`(?:\d+|\[\d+:\d+(?::\d+)?\])`
const IPV4_RE = new RegExp(`^(?:${IPV4_PART}\\.){3}${IPV4_PART}$`)
const IPV6_RE = /^[0-9a-f:[\].]*:[0-9a-f:[\].]*$/i
const HOSTPORT_RE = /^((?:[^:[\]]|\[[^\]]*\])*):([0-9]+)$/
const BRACKETED_HOSTPORT_RE = /^\[(.+)\]:([0-9]+)$/

const isAddress = (s: string): boolean => IPV4_RE.test(s) || (s.includes(':') && IPV6_RE.test(s)) || HOSTNAME_RE.test(s)

/** Splits `host:port`; a key that is no valid address is taken whole, without port (as Ansible does). */
export function splitPort(key: string): { pattern: string; port?: number } {
  for (const re of [BRACKETED_HOSTPORT_RE, HOSTPORT_RE]) {
    const m = re.exec(key)
    if (m && isAddress(m[1]!)) return { pattern: m[1]!, port: Number(m[2]) }
  }
  return { pattern: key }
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'

/** Expands every `[begin:end(:step)]` in a host name. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf('[')
  if (open < 0) return [name]
  const close = name.indexOf(']', open)
  if (close < 0) throw new HostPatternError(`host range in '${name}' has no closing ']'`)
  const head = name.slice(0, open)
  const tail = name.slice(close + 1)
  const bounds = name.slice(open + 1, close).split(':')
  if (bounds.length !== 2 && bounds.length !== 3) {
    throw new HostPatternError(`host range in '${name}' must be begin:end or begin:end:step`)
  }
  const beg = bounds[0] || '0'
  const end = bounds[1]!
  const stepText = bounds[2] ?? '1'
  if (!end) throw new HostPatternError(`host range in '${name}' must specify an end value`)
  if (!/^[0-9]+$/.test(stepText) || Number(stepText) === 0) {
    throw new HostPatternError(`host range step in '${name}' must be a positive number`)
  }
  const step = Number(stepText)
  let fill = (x: string): string => x
  if (beg[0] === '0' && beg.length > 1) {
    if (beg.length !== end.length) {
      throw new HostPatternError(`host range in '${name}' must give begin and end with the same number of digits`)
    }
    fill = (x) => x.padStart(beg.length, '0')
  }
  const seq: string[] = []
  const ib = LETTERS.indexOf(beg)
  const ie = LETTERS.indexOf(end)
  if (beg.length === 1 && end.length === 1 && ib >= 0 && ie >= 0) {
    if (ib > ie) throw new HostPatternError(`host range in '${name}' must have begin <= end`)
    for (let i = ib; i <= ie; i += step) seq.push(LETTERS[i]!)
  } else {
    if (!/^[0-9]+$/.test(beg) || !/^[0-9]+$/.test(end)) {
      throw new HostPatternError(`host range in '${name}' must be numbers or single letters`)
    }
    for (let i = Number(beg); i <= Number(end); i += step) seq.push(String(i))
  }
  return seq.flatMap((s) => expandHostRange(head + fill(s) + tail))
}

/** A host key (`web[1:3]:2222`) to its host names and port. */
export function expandHostKey(key: string): { hosts: string[]; port?: number } {
  const { pattern, port } = splitPort(key)
  return { hosts: expandHostRange(pattern), port }
}
