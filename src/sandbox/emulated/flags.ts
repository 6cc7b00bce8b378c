// Command-line flags parsed the way spf13/pflag does (--name=value, --name value, -n value,
// booleans without a value), with cobra's message for an unknown flag.
import { EmulatedFailure } from './failure.js'

export type FlagKind = 'string' | 'bool' | 'list' | 'int'

export interface FlagSpec {
  name: string
  kind: FlagKind
  short?: string
}

export type FlagValues = Record<string, string | boolean | string[] | number>

export interface ParsedArgs {
  flags: FlagValues
  /** Flags the user set explicitly, in order. */
  set: string[]
  positional: string[]
}

export function parseFlags(args: string[], specs: FlagSpec[], unknownPrefix = ''): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]))
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]))
  const out: ParsedArgs = { flags: {}, set: [], positional: [] }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') {
      out.positional.push(...args.slice(i + 1))
      break
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.positional.push(arg)
      continue
    }
    const long = arg.startsWith('--')
    const body = arg.slice(long ? 2 : 1)
    const eq = body.indexOf('=')
    const name = eq >= 0 ? body.slice(0, eq) : body
    const spec = long ? byName.get(name) : byShort.get(name)
    if (!spec) {
      throw new EmulatedFailure(`${unknownPrefix}unknown ${long ? 'flag' : 'shorthand flag'}: ${long ? `--${name}` : `'${name}' in ${arg}`}`)
    }
    let value: string | undefined = eq >= 0 ? body.slice(eq + 1) : undefined
    if (spec.kind === 'bool') {
      if (value !== undefined && !['true', 'false', '1', '0', 't', 'f', 'TRUE', 'FALSE', 'True', 'False'].includes(value)) {
        throw new EmulatedFailure(`${unknownPrefix}invalid argument "${value}" for "--${spec.name}" flag: strconv.ParseBool: parsing "${value}": invalid syntax`)
      }
      out.flags[spec.name] = value === undefined || ['true', '1', 't', 'TRUE', 'True'].includes(value)
    } else {
      if (value === undefined) {
        if (i + 1 >= args.length) throw new EmulatedFailure(`${unknownPrefix}flag needs an argument: --${spec.name}`)
        value = args[++i]!
      }
      if (spec.kind === 'list') {
        const prev = (out.flags[spec.name] as string[] | undefined) ?? []
        out.flags[spec.name] = [...prev, ...value.split(',').filter((v) => v !== '')]
      } else if (spec.kind === 'int') {
        if (!/^-?\d+$/.test(value)) {
          throw new EmulatedFailure(`${unknownPrefix}invalid argument "${value}" for "--${spec.name}" flag: strconv.ParseInt: parsing "${value}": invalid syntax`)
        }
        out.flags[spec.name] = Number(value)
      } else out.flags[spec.name] = value
    }
    out.set.push(spec.name)
  }
  return out
}

export const str = (flags: FlagValues, name: string): string | undefined => flags[name] as string | undefined
export const list = (flags: FlagValues, name: string): string[] => (flags[name] as string[] | undefined) ?? []
export const isSet = (flags: FlagValues, name: string): boolean => flags[name] === true
