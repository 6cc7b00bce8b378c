// The one shell-quoting helper. Every value that reaches a remote shell passes here.
// POSIX single quotes: nothing inside is special; a single quote is written as '\''.

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/
// NAME=value unquoted is an assignment, not a word, when it stands first on a command line.
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/

export function quote(value: string | number | boolean): string {
  const s = String(value)
  if (s.length > 0 && SAFE.test(s) && !ASSIGNMENT.test(s)) return s
  if (s.includes('\0')) throw new Error('a NUL byte cannot be passed as a shell argument')
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Quote each argument and join with spaces: a command line. */
export function shellJoin(args: Array<string | number | boolean>): string {
  return args.map(quote).join(' ')
}
