// Handlebars helpers available to every template under templates/.
import { dump } from 'js-yaml'
import { TemplateError } from '../errors.js'
import { cidrHost } from '../expr/ipaddr.js'
import { pyEquals } from '../expr/python.js'
import { quote } from '../quote.js'

/** What handlebars passes as the last argument of a helper. */
export interface HelperOptions {
  name: string
  hash: Record<string, unknown>
  ids?: string[]
  loc?: { start: { line: number; column: number } }
  data?: { root?: unknown }
  fn?: (ctx: unknown) => string
  inverse?: (ctx: unknown) => string
}

/** Raised by helpers; the renderer adds template name, line and host. */
export class HelperError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly hint?: string,
  ) {
    super(message)
  }
}

function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions }
}

function requireDefined(params: unknown[], options: HelperOptions, from = 0): void {
  params.forEach((p, i) => {
    if (i >= from && p === undefined) {
      const id = options.ids?.[i]
      throw new HelperError(`${id ? `variable '${id}'` : `argument ${i + 1}`} of helper '${options.name}' is not defined`, options.loc?.start.line, `define it, or wrap it: (default ${id ?? 'x'} "...") or (defined ${id ?? 'x'})`)
    }
  })
}

function strict(fn: (...params: unknown[]) => unknown, arity?: number) {
  return function (this: unknown, ...args: unknown[]): unknown {
    const { params, options } = split(args)
    if (arity !== undefined && params.length < arity) throw new HelperError(`helper '${options.name}' needs ${arity} argument(s), got ${params.length}`, options.loc?.start.line)
    requireDefined(params, options)
    return fn.apply(this, params)
  }
}

function text(v: unknown, helper: string): string {
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  throw new HelperError(`helper '${helper}' needs a string, got ${v === null ? 'null' : typeof v}`)
}

function mapping(v: unknown, helper: string): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>
  throw new HelperError(`helper '${helper}' needs a dict, got ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`)
}

function scalarText(v: unknown): string {
  if (v === null || typeof v === 'object') throw new HelperError(`a value of ${JSON.stringify(v)} is not a string, number or bool`)
  return String(v)
}

function indent(s: string, n: number, first: boolean): string {
  const pad = ' '.repeat(n)
  return s
    .split('\n')
    .map((line, i) => ((i === 0 && !first) || line === '' ? line : pad + line))
    .join('\n')
}

function builtinBlock(name: 'if' | 'unless' | 'each' | 'with', original: (...a: unknown[]) => unknown) {
  return function (this: unknown, ...args: unknown[]): unknown {
    const { params, options } = split(args)
    requireDefined(params, options)
    return original.apply(this, args)
  }
}

export function makeHelpers(builtins: Record<string, (...a: unknown[]) => unknown>): Record<string, (...a: unknown[]) => unknown> {
  return {
    if: builtinBlock('if', builtins.if!),
    unless: builtinBlock('unless', builtins.unless!),
    each: builtinBlock('each', builtins.each!),
    with: builtinBlock('with', builtins.with!),
    defined: (...args) => split(args).params[0] !== undefined,
    default: (...args) => {
      const { params } = split(args)
      return params[0] === undefined || params[0] === null ? params[1] : params[0]
    },
    toYaml: strict((v) => dump(v, { lineWidth: -1, noRefs: true }).replace(/\n$/, ''), 1),
    toJson: strict((v, n) => JSON.stringify(v, null, typeof n === 'number' ? n : undefined), 1),
    indent: strict((s, n, first) => indent(text(s, 'indent'), Number(n), first === true), 2),
    join: strict((list, sep) => {
      if (!Array.isArray(list)) throw new HelperError(`helper 'join' needs a list, got ${typeof list}`)
      return list.join(sep === undefined ? ',' : String(sep))
    }, 1),
    eq: strict((a, b) => pyEquals(a, b), 2),
    ne: strict((a, b) => !pyEquals(a, b), 2),
    lt: strict((a, b) => (a as number) < (b as number), 2),
    le: strict((a, b) => (a as number) <= (b as number), 2),
    gt: strict((a, b) => (a as number) > (b as number), 2),
    ge: strict((a, b) => (a as number) >= (b as number), 2),
    and: strict((...xs) => xs.every(Boolean), 1),
    or: strict((...xs) => xs.some(Boolean), 1),
    not: strict((x) => !x, 1),
    cidrHost: strict((cidr, n) => {
      try {
        return cidrHost(text(cidr, 'cidrHost'), Number(n))
      } catch (e) {
        throw new HelperError((e as Error).message)
      }
    }, 2),
    // kubeadm's extraArgs: a {name, value} list (v1beta4) or a string map (v1beta3), values as strings.
    nameValueList: strict((d) => Object.entries(mapping(d, 'nameValueList')).map(([name, value]) => ({ name, value: scalarText(value) })), 1),
    stringValues: strict((d) => Object.fromEntries(Object.entries(mapping(d, 'stringValues')).map(([k, v]) => [k, scalarText(v)])), 1),
    b64encode: strict((s) => Buffer.from(text(s, 'b64encode'), 'utf8').toString('base64'), 1),
    quote: strict((s) => quote(text(s, 'quote')), 1),
    lower: strict((s) => text(s, 'lower').toLowerCase(), 1),
    upper: strict((s) => text(s, 'upper').toUpperCase(), 1),
    includes: strict((haystack, needle) => {
      if (typeof haystack === 'string') return haystack.includes(text(needle, 'includes'))
      if (Array.isArray(haystack)) return haystack.some((x) => pyEquals(x, needle))
      if (haystack && typeof haystack === 'object') return Object.hasOwn(haystack, String(needle))
      throw new HelperError(`helper 'includes' needs a list, string or dict, got ${typeof haystack}`)
    }, 2),
  }
}

export { TemplateError }
