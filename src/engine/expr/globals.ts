// Global functions: range(), and the lookups that need no I/O beyond the controller's environment.
import { ExprError } from '../errors.js'
import type { Env } from './env.js'
import { isUndefined } from './undefined.js'

function range(args: unknown[]): number[] {
  const n = args.map(Number)
  if (n.some((x) => !Number.isInteger(x))) throw new ExprError('range() needs integer arguments')
  const [start, stop, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? 1]
  if (step === 0) throw new ExprError('range() step cannot be zero')
  const out: number[] = []
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i)
    if (out.length > 1_000_000) throw new ExprError('range() is too large')
  }
  return out
}

function lookup(args: unknown[], kwargs: Record<string, unknown>, env: Env, asList: boolean): unknown {
  const [plugin, ...terms] = args
  let values: unknown[]
  switch (plugin) {
    case 'env': {
      const get = (n: string) => (env.getenv ? env.getenv(n) : process.env[n])
      values = terms.map((t) => get(String(t)) ?? (kwargs.default !== undefined ? kwargs.default : ''))
      break
    }
    case 'vars':
      values = terms.map((t) => {
        const v = env.lookup(String(t))
        if (isUndefined(v)) {
          if (kwargs.default !== undefined) return kwargs.default
          throw new ExprError(`lookup('vars', '${String(t)}'): no variable named '${String(t)}'`, undefined, 'define it or pass default=')
        }
        return v
      })
      break
    case 'password':
      if (!env.password) throw new ExprError("lookup('password') is not available here")
      values = terms.map((t) => env.password!(String(t)))
      break
    default:
      throw new ExprError(`lookup plugin '${String(plugin)}' is not supported by kubeseed`, undefined, "only lookup('env', ...), lookup('vars', ...) and lookup('password', ...) are; set the value in the inventory instead")
  }
  if (asList || kwargs.wantlist === true) return values
  return values.length === 1 ? values[0] : values.map(String).join(',')
}

export function callGlobal(name: string, args: unknown[], kwargs: Record<string, unknown>, env: Env): unknown {
  switch (name) {
    case 'range':
      return range(args)
    case 'lookup':
      return lookup(args, kwargs, env, false)
    case 'query':
    case 'q':
      return lookup(args, kwargs, env, true)
    default:
      throw new ExprError(`function '${name}' is not supported by kubeseed`, undefined, 'only range(), lookup() and query() can be called; use a filter instead')
  }
}
