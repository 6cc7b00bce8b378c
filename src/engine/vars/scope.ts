// Per-host variables, layered lowest first (top-level keys replace, no deep merge), templated
// lazily on first use and cached. An unused bad value never fails; a used one fails naming the
// variable, its file and line, the host and the expression.
import { ExprError, KubeseedError, TemplateError, type Where } from '../errors.js'
import { evaluate, isDict, messageWithoutHint, isTemplated, isUndefined, isUndefinedError, parseExpr, renderString, renderStringTyped, truthy as pyTruthy, Undefined, withExpr, type Env } from '../expr/index.js'
import { markUndefined } from '../expr/undefined.js'
import type { ScopeLayer } from './layer.js'
import { passwordLookup } from './password-lookup.js'

export interface ScopeOptions {
  host: string
  /** Computed names (hostvars, groups, inventory_hostname, facts...): used when no layer defines the name. */
  magic?: Record<string, () => unknown>
  /** Environment for lookup('env', ...); defaults to the controller's process environment. */
  getenv?: (name: string) => string | undefined
  /** lookup('password', ...); defaults to the password file on the controller (see password-lookup.ts). */
  password?: (term: string) => string
}

/** A host's variables as the run, the templates and the checks read them. */
export interface Scope {
  readonly host: string
  /** A scope with one more layer on top (task vars, loop item, registered result). */
  child(layer: ScopeLayer): Scope
  get(name: string): unknown
  has(name: string): boolean
  render(value: unknown, where?: Where): unknown
  evaluate(expr: string, where?: Where): unknown
  truthy(expr: string | boolean, where?: Where): boolean
  /** Every variable, rendered: what a handlebars template may enumerate. */
  toObject(): Record<string, unknown>
  /** Drops the rendered values that read `name`, whose meaning changed (hostvars, after a set_fact). */
  forgetReaders(name: string): void
}

export type ScopeFactory = (layers: ScopeLayer[], opts: ScopeOptions) => Scope

interface Entry {
  value?: unknown
  /** The value is text from to_json, string, ... that a template naming it alone keeps as text. */
  nativeText?: boolean
  error?: Error
  /** Every name read while rendering, transitively: decides whether a child may reuse this entry. */
  deps: Set<string>
}

interface Definition {
  value: unknown
  layer: ScopeLayer
}

export class VarScope implements Scope {
  private readonly index = new Map<string, ScopeLayer>()
  private readonly cache = new Map<string, Entry>()
  private readonly resolving: string[] = []
  private readonly collectors: Array<Set<string>> = []
  private readonly env: Env

  constructor(
    layers: ScopeLayer[],
    private readonly opts: ScopeOptions,
    private readonly parent?: VarScope,
  ) {
    for (const l of layers) for (const k of Object.keys(l.vars)) this.index.set(k, l)
    this.env = {
      lookup: (name) => this.lookupForEval(name),
      getenv: (name) => (this.opts.getenv ? this.opts.getenv(name) : process.env[name]),
      raw: (name) => this.raw(name),
      password: (term) => (this.opts.password ?? passwordLookup)(term),
      isNativeText: (name) => !!this.entry(name)?.nativeText,
    }
  }

  get host(): string {
    return this.opts.host
  }

  /** A scope with one more layer on top (task vars, loop item, registered result). Cheap. */
  child(layer: ScopeLayer): VarScope {
    return new VarScope([layer], this.opts, this)
  }

  private definition(name: string): Definition | undefined {
    const own = this.index.get(name)
    if (own) return { value: own.vars[name], layer: own }
    return this.parent?.definition(name)
  }

  has(name: string): boolean {
    return this.definition(name) !== undefined || (this.opts.magic !== undefined && Object.hasOwn(this.opts.magic, name))
  }

  raw(name: string): { value: unknown; source: string; line?: number } | undefined {
    const d = this.definition(name)
    if (d) return { value: d.value, source: d.layer.source, line: d.layer.lines?.[name] }
    if (this.opts.magic && Object.hasOwn(this.opts.magic, name)) return { value: this.opts.magic[name]!(), source: 'computed by kubeseed' }
    return undefined
  }

  /** The variable's rendered value. Throws TemplateError if it is undefined or fails to render. */
  get(name: string): unknown {
    const e = this.entry(name)
    if (!e) {
      throw markUndefined(new TemplateError(`variable '${name}' is not defined`, { host: this.opts.host }, 'define it in the inventory (group_vars/host_vars) or pass it with -e'))
    }
    if (e.error) throw e.error
    return e.value
  }

  forgetReaders(name: string): void {
    for (const [k, e] of this.cache) if (e.deps.has(name)) this.cache.delete(k)
  }

  private shadowsAny(deps: Set<string>): boolean {
    for (const d of deps) if (this.index.has(d)) return true
    return false
  }

  /** undefined when the name is defined nowhere. */
  private entry(name: string): Entry | undefined {
    const hit = this.cache.get(name)
    if (hit) return hit
    if (this.parent && !this.index.has(name)) {
      const pe = this.parent.entry(name)
      // Reuse the parent's work unless this layer overrides something it read.
      if (!pe || !this.shadowsAny(pe.deps)) return pe
    }
    const def = this.definition(name)
    if (!def) {
      if (this.opts.magic && Object.hasOwn(this.opts.magic, name)) return { value: this.opts.magic[name]!(), deps: new Set() }
      return undefined
    }
    const entry = this.resolve(name, def)
    this.cache.set(name, entry)
    return entry
  }

  private where(name: string, def: Definition): Where {
    return { file: def.layer.source, line: def.layer.lines?.[name], host: this.opts.host }
  }

  private resolve(name: string, def: Definition): Entry {
    const deps = new Set<string>()
    if (def.layer.literal) return { value: def.value, deps }
    const at = this.resolving.indexOf(name)
    if (at >= 0) {
      const chain = [...this.resolving.slice(at), name].join(' -> ')
      return { error: new TemplateError(`variables refer to each other in a cycle: ${chain}`, this.where(name, def), 'break the cycle by giving one of them a plain value'), deps }
    }
    this.resolving.push(name)
    this.collectors.push(deps)
    try {
      if (typeof def.value === 'string' && isTemplated(def.value)) {
        const r = renderStringTyped(def.value, this.env)
        return { value: r.value, nativeText: r.nativeText, deps }
      }
      return { value: this.renderValue(def.value), deps }
    } catch (e) {
      return { error: this.varError(name, def, e), deps }
    } finally {
      this.resolving.pop()
      this.collectors.pop()
    }
  }

  private varError(name: string, def: Definition, e: unknown): Error {
    // A variable this one needs has already been reported with its own file and line.
    if (e instanceof TemplateError) return e
    const msg = e instanceof Error ? messageWithoutHint(e) : String(e)
    const raw = typeof def.value === 'string' ? def.value.trim() : ''
    const shown = raw && !msg.includes(raw) ? ` (value ${JSON.stringify(raw.length > 200 ? `${raw.slice(0, 197)}...` : raw)})` : ''
    const hint = e instanceof KubeseedError ? e.hint : undefined
    const err = new TemplateError(`variable '${name}' cannot be rendered: ${msg}${shown}`, this.where(name, def), hint)
    return isUndefinedError(e) ? markUndefined(err) : err
  }

  private lookupForEval(name: string): unknown {
    const e = this.entry(name)
    for (const c of this.collectors) {
      c.add(name)
      if (e) for (const d of e.deps) c.add(d)
    }
    if (!e) return new Undefined(name)
    if (e.error) {
      if (isUndefinedError(e.error)) return new Undefined(name, e.error)
      throw e.error
    }
    return e.value
  }

  private renderValue(v: unknown): unknown {
    if (typeof v === 'string') return isTemplated(v) ? renderString(v, this.env) : v
    if (Array.isArray(v)) return v.map((x) => this.renderValue(x))
    if (isDict(v)) {
      const out: Record<string, unknown> = {}
      for (const [k, x] of Object.entries(v)) out[isTemplated(k) ? String(this.renderValue(k)) : k] = this.renderValue(x)
      return out
    }
    return v
  }

  /** Template any value (strings, nested lists and dicts) in this scope. */
  render(value: unknown, where?: Where): unknown {
    try {
      return this.renderValue(value)
    } catch (e) {
      throw this.contextError(e, where, TemplateError)
    }
  }

  private contextError(e: unknown, where: Where | undefined, Kind: typeof TemplateError | typeof ExprError): Error {
    if (e instanceof TemplateError && e.where?.file) return e
    const msg = e instanceof Error ? messageWithoutHint(e) : String(e)
    const err = new Kind(msg, { host: this.opts.host, ...where }, e instanceof KubeseedError ? e.hint : undefined)
    return isUndefinedError(e) ? markUndefined(err) : err
  }

  /** A bare expression (when/until/changed_when/failed_when), no braces. */
  evaluate(expr: string, where?: Where): unknown {
    try {
      const v = evaluate(parseExpr(expr), this.env)
      if (isUndefined(v)) throw v.error()
      return v
    } catch (e) {
      throw this.contextError(withExpr(e, expr), where, ExprError)
    }
  }

  /** A condition: booleans as they are, strings evaluated; a list means all of them (as `when:` lists). */
  truthy(expr: string | boolean | ReadonlyArray<string | boolean>, where?: Where): boolean {
    if (typeof expr === 'boolean') return expr
    if (Array.isArray(expr)) return expr.every((x) => this.truthy(x, where))
    const s = expr as string
    // `when: "{{ flag }}"` is old style but common: render, then judge the value.
    if (isTemplated(s)) {
      const v = this.render(s, where)
      if (typeof v === 'string') return this.truthy(v.trim() === '' ? 'False' : v, where)
      return pyTruthy(v)
    }
    return pyTruthy(this.evaluate(s, where))
  }

  /** Every visible variable rendered where possible (failures show their raw value); for -vvv only. */
  toObject(): Record<string, unknown> {
    const names = new Set<string>()
    for (let s: VarScope | undefined = this; s; s = s.parent) for (const k of s.index.keys()) names.add(k)
    const out: Record<string, unknown> = {}
    for (const n of [...names].sort()) {
      try {
        out[n] = this.get(n)
      } catch (e) {
        out[n] = this.raw(n)?.value
      }
    }
    return out
  }

  /** The error a failed render produced, if any; for reports that list every bad variable. */
  check(name: string): KubeseedError | undefined {
    try {
      this.get(name)
      return undefined
    } catch (e) {
      return e instanceof KubeseedError ? e : new TemplateError(String(e), { host: this.opts.host })
    }
  }
}
