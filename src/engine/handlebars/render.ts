// Renders handlebars template files (templates/**/*.hbs) in strict mode: an undefined variable
// is an error naming the variable, the template and line, and the host, never an empty string.
import type Handlebars from 'handlebars'
import { createHash } from 'node:crypto'
import { KubeseedError, TemplateError, type Where } from '../errors.js'
import { onFirstUse } from '../load-on-use.js'
import { messageWithoutHint } from '../expr/index.js'
import { lazyVars } from '../vars/lazy-object.js'
import type { Scope } from '../vars/scope.js'
import { compiledTemplateStore } from './compiled-store.js'
import { HelperError, makeHelpers } from './helpers.js'

const runtimePackage = onFirstUse<typeof Handlebars>('handlebars/runtime')
const compilerPackage = onFirstUse<typeof Handlebars>('handlebars')
let engine: typeof Handlebars | undefined

function runtime(): typeof Handlebars {
  if (!engine) {
    engine = runtimePackage().create()
    const builtins = engine.helpers as unknown as Record<string, (...a: unknown[]) => unknown>
    engine.registerHelper(makeHelpers({ ...builtins }) as unknown as Handlebars.HelperDeclareSpec)
  }
  return engine
}

const compiled = new Map<string, Handlebars.TemplateDelegate>()
// trackIds gives helpers the names of their arguments, so errors can name an undefined variable.
const COMPILE_OPTIONS = { strict: true, noEscape: true, trackIds: true } as const

/** What compiled code is kept under: the template, the options and the handlebars release that compiled it. */
function storeKey(source: string): string {
  return createHash('sha256').update(`${runtimePackage().VERSION}\0${JSON.stringify(COMPILE_OPTIONS)}\0${source}`).digest('hex')
}

/** Handlebars' JavaScript for the template. Syntax errors name the template and line. */
function precompile(source: string, where: Where): string {
  const hbs = compilerPackage()
  try {
    hbs.parse(source)
  } catch (e) {
    // Handlebars' message is several lines (position, source excerpt, what it expected): keep the last.
    const lines = (e as Error).message.split('\n').map((l) => l.trim()).filter(Boolean)
    const what = lines.length > 1 ? lines[lines.length - 1] : lines[0] ?? 'cannot parse'
    throw new TemplateError(`template syntax error: ${what}`, { file: where.file, line: (e as { lineNumber?: number }).lineNumber },
      'close every {{#if}}/{{#each}} block and check the braces')
  }
  try {
    return hbs.precompile(source, { ...COMPILE_OPTIONS }) as unknown as string
  } catch (e) {
    const err = e as Error & { lineNumber?: number }
    throw new TemplateError(`template failed: ${err.message.split(' - ')[0]}`, { ...where, line: err.lineNumber })
  }
}

/** A template from its compiled code: an object literal of functions, evaluated as handlebars' own compile does. */
function fromCode(code: string): Handlebars.TemplateDelegate {
  const spec = new Function(`return (${code})`)() as Parameters<typeof Handlebars.template>[0]
  return runtime().template(spec)
}

function compile(source: string, where: Where): Handlebars.TemplateDelegate {
  let t = compiled.get(source)
  if (!t) {
    t = keptOrCompiled(source, where)
    compiled.set(source, t)
  }
  return t
}

/** The template from the code an earlier run kept, or compiled now (and kept, when there is a store). */
function keptOrCompiled(source: string, where: Where): Handlebars.TemplateDelegate {
  const store = compiledTemplateStore()
  if (!store) return fromCode(precompile(source, where))
  const key = storeKey(source)
  const kept = store.get(key)
  if (kept !== undefined) {
    try {
      return fromCode(kept)
    } catch {
      // Damaged: compiled again below, and replaced.
    }
  }
  const code = precompile(source, where)
  const t = fromCode(code)
  store.set(key, code)
  return t
}

export interface RenderTemplateOptions {
  /** Template path as the user knows it (templates/kubelet/kubelet.env.hbs). */
  name: string
  scope: Scope
  host: string
  /** Values on top of the scope (a loop item, values computed by the task). */
  extra?: Record<string, unknown>
}

export function renderTemplate(source: string, opts: RenderTemplateOptions): string {
  const t = compile(source, { file: opts.name, host: opts.host })
  try {
    return t(lazyVars(opts.scope, opts.extra ?? {}))
  } catch (e) {
    // A variable that failed to render already names its file, line and host.
    if (e instanceof KubeseedError) {
      if (e instanceof TemplateError && e.message.includes(opts.name)) throw e
      throw new TemplateError(`${messageWithoutHint(e)}; needed by template ${opts.name}`, undefined, e.hint)
    }
    const where = { file: opts.name, host: opts.host }
    if (e instanceof HelperError) throw new TemplateError(e.message, { ...where, line: e.line }, e.hint)
    const err = e as Error & { lineNumber?: number }
    const missing = /^"([^"]+)" not defined in/.exec(err.message) ?? /^Cannot use 'in' operator to search for '([^']+)'/.exec(err.message)
    if (missing) {
      throw new TemplateError(`variable '${missing[1]}' is not defined`, { ...where, line: err.lineNumber }, `define it in the inventory, or guard it: {{#if (defined ${missing[1]})}}`)
    }
    const helper = /^Missing helper: "?([^"]+)"?/.exec(err.message)
    if (helper) throw new TemplateError(`unknown helper or undefined variable '${helper[1]}'`, where, 'check the spelling of the helper or variable')
    throw new TemplateError(`template failed: ${err.message.split(' - ')[0]}`, { ...where, line: err.lineNumber })
  }
}
