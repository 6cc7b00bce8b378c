// Renders handlebars template files (templates/**/*.hbs) in strict mode: an undefined variable
// is an error naming the variable, the template and line, and the host, never an empty string.
import Handlebars from 'handlebars'
import { KubeseedError, TemplateError } from '../errors.js'
import { messageWithoutHint } from '../expr/index.js'
import { lazyVars } from '../vars/lazy-object.js'
import type { Scope } from '../vars/scope.js'
import { HelperError, makeHelpers } from './helpers.js'

const hbs = Handlebars.create()
const builtins = hbs.helpers as unknown as Record<string, (...a: unknown[]) => unknown>
hbs.registerHelper(makeHelpers({ ...builtins }) as unknown as Handlebars.HelperDeclareSpec)

const compiled = new Map<string, Handlebars.TemplateDelegate>()
// trackIds gives helpers the names of their arguments, so errors can name an undefined variable.
const COMPILE_OPTIONS = { strict: true, noEscape: true, trackIds: true } as Parameters<typeof hbs.compile>[1]

function compile(source: string, name: string): Handlebars.TemplateDelegate {
  let t = compiled.get(source)
  if (!t) {
    try {
      // Compile eagerly so syntax errors surface here, with the template's name.
      hbs.parse(source)
    } catch (e) {
      // Handlebars' message is several lines (position, source excerpt, what it expected): keep the last.
      const lines = (e as Error).message.split('\n').map((l) => l.trim()).filter(Boolean)
      const what = lines.length > 1 ? lines[lines.length - 1] : lines[0] ?? 'cannot parse'
      throw new TemplateError(`template syntax error: ${what}`, { file: name, line: (e as { lineNumber?: number }).lineNumber },
        'close every {{#if}}/{{#each}} block and check the braces')
    }
    t = hbs.compile(source, COMPILE_OPTIONS)
    compiled.set(source, t)
  }
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
  const t = compile(source, opts.name)
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
