// Load a playbook file into plays with roles, blocks and imports resolved. All structural mistakes are
// found here, with file:line, before any host is touched.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { PlaybookError, type Where } from '../errors.js'
import { isTemplated } from '../expr/jinja-string-render.js'
import { keyLineOf, keyLinesOf, lineOf, loadYaml } from '../yaml.js'
import { checkPlayStatically } from './static-checks.js'
import type { BlockDef, Item, PlayDef, Playbook, RoleRef, RoleVarsFile, TaskDef } from './model.js'
import { BLOCK_KEYWORDS, PLAY_KEYWORDS, ROLE_ENTRY_KEYWORDS, TASK_KEYWORDS, suggest } from './keywords.js'

export interface ModuleInfo {
  /** Canonical module name. */
  name: string
  /** Load-time check of the module's arguments (templated values are not type-checked yet). */
  check(args: unknown, where: Where): void
  /** Free-form text plus an `args:` mapping as one mapping. */
  combine(text: string, extra: Record<string, unknown>, where: Where): Record<string, unknown>
}

export interface LoadOptions {
  /** Finds a task type by any of its names; undefined when unknown. */
  module(name: string): ModuleInfo | undefined
  /** All module names, for "did you mean". */
  moduleNames(): string[]
  /** Where roles are looked up, after `<playbook dir>/roles`. */
  rolesPath: string[]
}

type Dict = Record<string, unknown>

/** Keywords a parent (play, role, block, import) passes down to every task below it. */
interface Inherited {
  when: Array<string | boolean>
  tags: string[]
  become?: boolean
  becomeUser?: string
  vars: Dict
  environment: Array<Dict | string>
  role?: RoleRef
  noLog?: boolean
  ignoreErrors?: boolean
  checkMode?: boolean
  delegateTo?: string
  runOnce?: boolean
  anyErrorsFatal?: boolean
}

const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v)

function asList<T = unknown>(v: unknown): T[] {
  if (v === undefined || v === null) return []
  return (Array.isArray(v) ? v : [v]) as T[]
}

function asBool(v: unknown, what: string, where: Where): boolean {
  if (typeof v === 'boolean') return v
  if (typeof v === 'string' && /^(yes|true|on|1)$/i.test(v)) return true
  if (typeof v === 'string' && /^(no|false|off|0)$/i.test(v)) return false
  throw new PlaybookError(`'${what}' must be a boolean, got ${JSON.stringify(v)}`, where)
}

function asCondition(v: unknown, what: string, where: Where): Array<string | boolean> {
  return asList(v).map((c) => {
    if (typeof c === 'string' || typeof c === 'boolean') return c
    if (typeof c === 'number') return c !== 0
    throw new PlaybookError(`'${what}' must be an expression or a list of them, got ${JSON.stringify(c)}`, where)
  })
}

function tagList(v: unknown, where: Where): string[] {
  if (typeof v === 'string') return v.split(',').map((t) => t.trim()).filter(Boolean)
  return asList(v).map((t) => {
    if (typeof t !== 'string' && typeof t !== 'number') throw new PlaybookError(`tags must be strings`, where)
    return String(t)
  })
}

function readYamlFile(file: string, where?: Where): unknown {
  if (!existsSync(file)) {
    throw new PlaybookError(`file not found: ${file}`, where, 'check the path (relative paths start at the including file)')
  }
  return loadYaml(readFileSync(file, 'utf8'), file)
}

function findMain(dir: string): string | undefined {
  for (const n of ['main.yaml', 'main.yml']) if (existsSync(join(dir, n))) return join(dir, n)
  return undefined
}

/** `main.yaml`/`main.yml`, or as Ansible also takes it, every YAML file of a `main/` directory in name order. */
function mainFiles(dir: string): string[] {
  const one = findMain(dir)
  if (one) return [one]
  const sub = join(dir, 'main')
  if (!existsSync(sub) || !statSync(sub).isDirectory()) return []
  return readdirSync(sub).filter((n) => /\.(ya?ml|json)$/.test(n)).sort().map((n) => join(sub, n))
}

export class PlaybookLoader {
  private nextId = 1
  private readonly roles = new Map<string, RoleRef>()

  constructor(private readonly opts: LoadOptions) {}

  load(file: string): Playbook {
    const abs = resolve(file)
    const doc = readYamlFile(abs)
    if (!Array.isArray(doc)) throw new PlaybookError('a playbook is a list of plays', { file: abs, line: 1 }, "start each play with '- hosts: PATTERN'")
    const plays: PlayDef[] = []
    for (const entry of doc) {
      const where = { file: abs, line: lineOf(entry) }
      if (!isDict(entry)) throw new PlaybookError('each play must be a mapping', where)
      const imported = entry.import_playbook ?? entry['ansible.builtin.import_playbook']
      if (imported !== undefined) {
        if (typeof imported !== 'string') throw new PlaybookError('import_playbook takes a file name', where)
        plays.push(...this.load(isAbsolute(imported) ? imported : join(dirname(abs), imported)).plays)
        continue
      }
      plays.push(this.loadPlay(entry, abs))
    }
    return { file: abs, plays }
  }

  private loadPlay(p: Dict, file: string): PlayDef {
    const where = { file, line: lineOf(p) }
    for (const k of Object.keys(p)) {
      if (!PLAY_KEYWORDS.has(k)) {
        throw new PlaybookError(`unknown play keyword '${k}'`, { file, line: keyLineOf(p, k) ?? where.line },
          suggest(k, [...PLAY_KEYWORDS]))
      }
    }
    if (typeof p.hosts !== 'string' || !p.hosts.trim()) {
      throw new PlaybookError(`a play needs 'hosts' (a host pattern such as all or kube_control_plane)`, where)
    }
    const baseDir = dirname(file)
    const { vars, varsLines } = playVars(p, baseDir, where)
    const inherited: Inherited = {
      when: [],
      tags: tagList(p.tags, where),
      become: p.become === undefined ? undefined : asBool(p.become, 'become', where),
      becomeUser: p.become_user as string | undefined,
      vars: {},
      environment: p.environment === undefined ? [] : [p.environment as Dict],
      noLog: p.no_log === undefined ? undefined : asBool(p.no_log, 'no_log', where),
      checkMode: p.check_mode === undefined ? undefined : asBool(p.check_mode, 'check_mode', where),
    }
    const roles: RoleRef[] = []
    const items: Item[] = []
    const handlers: TaskDef[] = []
    items.push(...this.loadItems(p.pre_tasks, file, inherited, baseDir))
    for (const r of asList(p.roles)) {
      const entry = typeof r === 'string' ? { role: r } : r
      const rWhere = { file, line: lineOf(r) ?? where.line }
      if (!isDict(entry)) throw new PlaybookError('a role entry is a name or a mapping with `role:`', rWhere)
      items.push(...this.expandRole(entry, rWhere, inherited, baseDir, roles, handlers))
    }
    items.push(...this.loadItems(p.tasks, file, inherited, baseDir))
    items.push(...this.loadItems(p.post_tasks, file, inherited, baseDir))
    for (const h of this.loadItems(p.handlers, file, inherited, baseDir)) handlers.push(...flattenHandlers(h))
    checkPlayStatically(items, handlers)
    const { serial, strategy, mfp } = playStrategy(p, where)
    return {
      name: typeof p.name === 'string' ? p.name : p.hosts,
      where,
      hosts: p.hosts,
      gatherFacts: p.gather_facts === undefined ? true : asBool(p.gather_facts, 'gather_facts', where),
      serial,
      maxFailPercentage: mfp as number | undefined,
      anyErrorsFatal: p.any_errors_fatal === undefined ? false : asBool(p.any_errors_fatal, 'any_errors_fatal', where),
      strategy,
      vars,
      varsLines,
      roles,
      items,
      handlers,
      baseDir,
    }
  }

  private findRoleDir(name: string, baseDir: string, where: Where): string {
    const candidates = [join(baseDir, 'roles', name), ...this.opts.rolesPath.map((d) => join(d, name))]
    const found = candidates.find((d) => existsSync(d))
    if (!found) throw new PlaybookError(`role '${name}' not found`, where, `looked in ${candidates.join(', ')}`)
    return found
  }

  private role(name: string, baseDir: string, where: Where): RoleRef {
    const dir = this.findRoleDir(name, baseDir, where)
    const cached = this.roles.get(dir)
    if (cached) return cached
    const read = (sub: string): RoleVarsFile[] => {
      const files = mainFiles(join(dir, sub))
      return files.map((f) => {
        const data = readYamlFile(f)
        if (data !== null && !isDict(data)) throw new PlaybookError(`role ${sub} must be a mapping`, { file: f })
        return { file: f, data: (data ?? {}) as Dict, lines: keyLinesOf(data) }
      })
    }
    const merged = (files: RoleVarsFile[]) => Object.assign({}, ...files.map((f) => f.data)) as Dict
    const d = read('defaults')
    const v = read('vars')
    const ref: RoleRef = { name, dir, defaults: merged(d), defaultsFiles: d, vars: merged(v), varsFiles: v }
    this.roles.set(dir, ref)
    return ref
  }

  private expandRole(entry: Dict, where: Where, parent: Inherited, baseDir: string, roles: RoleRef[], handlers: TaskDef[]): Item[] {
    const name = (entry.role ?? entry.name) as unknown
    if (typeof name !== 'string') throw new PlaybookError('a role entry needs `role: NAME`', where)
    for (const k of Object.keys(entry)) {
      if (!ROLE_ENTRY_KEYWORDS.has(k)) throw new PlaybookError(`unknown role keyword '${k}'`, where, suggest(k, [...ROLE_ENTRY_KEYWORDS]))
    }
    const ref = this.role(name, baseDir, where)
    const firstUse = !roles.includes(ref)
    if (firstUse) roles.push(ref)
    const inh: Inherited = {
      ...parent,
      role: ref,
      when: [...parent.when, ...asCondition(entry.when, 'when', where)],
      tags: [...parent.tags, ...tagList(entry.tags, where)],
      become: entry.become === undefined ? parent.become : asBool(entry.become, 'become', where),
      becomeUser: (entry.become_user as string | undefined) ?? parent.becomeUser,
      vars: { ...parent.vars, ...(isDict(entry.vars) ? entry.vars : {}) },
    }
    const tasksFile = findMain(join(ref.dir, 'tasks'))
    const items = tasksFile ? this.loadItems(readYamlFile(tasksFile), tasksFile, inh, dirname(tasksFile)) : []
    const handlersFile = findMain(join(ref.dir, 'handlers'))
    if (handlersFile && firstUse) {
      const hInh: Inherited = { ...inh, when: [], tags: [] }
      for (const h of this.loadItems(readYamlFile(handlersFile), handlersFile, hInh, dirname(handlersFile))) {
        handlers.push(...flattenHandlers(h))
      }
    }
    return items
  }

  loadItems(raw: unknown, file: string, inh: Inherited, baseDir: string): Item[] {
    if (raw === undefined || raw === null) return []
    if (!Array.isArray(raw)) throw new PlaybookError('a task list must be a YAML list', { file, line: lineOf(raw) })
    const out: Item[] = []
    for (const t of raw) {
      const where = { file, line: lineOf(t) }
      if (!isDict(t)) throw new PlaybookError('each task must be a mapping', where)
      if ('block' in t) out.push(this.loadBlock(t, file, inh, baseDir))
      else out.push(...this.loadTask(t, file, inh, baseDir))
    }
    return out
  }

  private narrow(t: Dict, where: Where, inh: Inherited): Inherited {
    return {
      ...inh,
      when: [...inh.when, ...asCondition(t.when, 'when', where)],
      tags: [...inh.tags, ...tagList(t.tags, where)],
      become: t.become === undefined ? inh.become : asBool(t.become, 'become', where),
      becomeUser: (t.become_user as string | undefined) ?? inh.becomeUser,
      vars: { ...inh.vars, ...(isDict(t.vars) ? t.vars : {}) },
      environment: t.environment === undefined ? inh.environment : [...inh.environment, t.environment as Dict],
      noLog: t.no_log === undefined ? inh.noLog : asBool(t.no_log, 'no_log', where),
      ignoreErrors: t.ignore_errors === undefined ? inh.ignoreErrors : asBool(t.ignore_errors, 'ignore_errors', where),
      checkMode: t.check_mode === undefined ? inh.checkMode : asBool(t.check_mode, 'check_mode', where),
      delegateTo: (t.delegate_to as string | undefined) ?? inh.delegateTo,
      runOnce: t.run_once === undefined ? inh.runOnce : asBool(t.run_once, 'run_once', where),
    }
  }

  private loadBlock(t: Dict, file: string, inh: Inherited, baseDir: string): BlockDef {
    const where = { file, line: lineOf(t) }
    for (const k of Object.keys(t)) {
      if (!BLOCK_KEYWORDS.has(k)) {
        throw new PlaybookError(`unknown block keyword '${k}'`, { file, line: keyLineOf(t, k) ?? where.line }, suggest(k, [...BLOCK_KEYWORDS]))
      }
    }
    const child = this.narrow(t, where, inh)
    return {
      kind: 'block',
      id: this.nextId++,
      name: t.name as string | undefined,
      where,
      block: this.loadItems(t.block, file, child, baseDir),
      rescue: this.loadItems(t.rescue, file, child, baseDir),
      always: this.loadItems(t.always, file, child, baseDir),
    }
  }

  /** The one module key of a task; no module, two of them or an unknown keyword is an error naming it. */
  private moduleKey(t: Dict, where: Where): string {
    const moduleKeys = Object.keys(t).filter((k) => !TASK_KEYWORDS.has(k))
    if (moduleKeys.length === 0) {
      throw new PlaybookError('task has no module (what should it do?)', where, 'add one such as command, template, file')
    }
    if (moduleKeys.length > 1) {
      const unknown = moduleKeys.filter((k) => !this.opts.module(k) && !isImport(k))
      const bad = unknown[0] ?? moduleKeys[1]
      throw new PlaybookError(`task has more than one module or an unknown keyword: ${moduleKeys.join(', ')}`,
        { file: where.file, line: keyLineOf(t, bad) ?? where.line }, suggest(bad, [...TASK_KEYWORDS, ...this.opts.moduleNames()]))
    }
    return moduleKeys[0]
  }

  /** import_tasks / include_tasks / import_role / include_role: their tasks, loaded here; undefined for other modules. */
  private loadInclude(t: Dict, key: string, taskWhere: Where, child: Inherited, baseDir: string): Item[] | undefined {
    const short = key.replace(/^ansible\.(builtin|legacy)\./, '')
    if (short === 'import_tasks' || short === 'include_tasks') {
      const target = isDict(t[key]) ? (t[key] as Dict).file : t[key]
      if (typeof target !== 'string') throw new PlaybookError(`${short} takes a file name`, taskWhere)
      if (target.includes('{{')) {
        throw new PlaybookError(`${short} with a templated file name is not supported`, taskWhere, 'name the file literally')
      }
      if (t.loop !== undefined || t.with_items !== undefined) {
        throw new PlaybookError(`${short} with a loop is not supported`, taskWhere, 'loop inside the included tasks instead')
      }
      const path = isAbsolute(target) ? target : join(baseDir, target)
      return this.loadItems(readYamlFile(path, taskWhere), path, child, dirname(path))
    }
    if (short === 'import_role' || short === 'include_role') {
      const args = t[key]
      if (!isDict(args) || typeof args.name !== 'string') throw new PlaybookError(`${short} needs name: ROLE`, taskWhere)
      const ref = this.role(args.name, baseDir, taskWhere)
      const tasksFrom = typeof args.tasks_from === 'string' ? args.tasks_from : 'main'
      const tf = [`${tasksFrom}.yaml`, `${tasksFrom}.yml`, tasksFrom].map((n) => join(ref.dir, 'tasks', n)).find((f) => existsSync(f))
      if (!tf) throw new PlaybookError(`role '${args.name}' has no tasks file '${tasksFrom}'`, taskWhere)
      return this.loadItems(readYamlFile(tf, taskWhere), tf, { ...child, role: ref }, dirname(tf))
    }
    return undefined
  }

  private loadTask(t: Dict, file: string, inh: Inherited, baseDir: string): Item[] {
    const where: Where = { file, line: lineOf(t) }
    const key = this.moduleKey(t, where)
    const name = typeof t.name === 'string' ? t.name : undefined
    const taskWhere = { ...where, task: name ?? key }
    const child = this.narrow(t, taskWhere, inh)
    const included = this.loadInclude(t, key, taskWhere, child, baseDir)
    if (included) return included
    const mod = this.opts.module(key)
    if (!mod) {
      throw new PlaybookError(`unknown module or keyword '${key}'`, { file, line: keyLineOf(t, key) ?? where.line },
        suggest(key, [...TASK_KEYWORDS, ...this.opts.moduleNames()]))
    }
    const args = taskArgs(t, key, mod, taskWhere)
    mod.check(args, { file, line: keyLineOf(t, key) ?? where.line, task: taskWhere.task })
    const loop = taskLoop(t, taskWhere)
    const lc = isDict(t.loop_control) ? t.loop_control : {}
    const intOf = (v: unknown, what: string) => wholeNumber(v, what, taskWhere)
    const retries = intOf(t.retries, 'retries')
    const task: TaskDef = {
      kind: 'task',
      id: this.nextId++,
      name: name ?? `${mod.name}`,
      module: mod.name,
      args,
      where: taskWhere,
      when: child.when,
      loop,
      loopVar: typeof lc.loop_var === 'string' ? lc.loop_var : 'item',
      loopLabel: typeof lc.label === 'string' ? lc.label : undefined,
      register: typeof t.register === 'string' ? t.register : undefined,
      notify: asList<string>(t.notify).map(String),
      tags: child.tags,
      become: child.become,
      becomeUser: child.becomeUser,
      delegateTo: child.delegateTo,
      runOnce: child.runOnce ?? false,
      retries: retries ?? (t.until !== undefined ? 3 : undefined),
      delay: intOf(t.delay, 'delay') ?? 5,
      until: t.until === undefined ? undefined : String(t.until),
      changedWhen: t.changed_when === undefined ? undefined : asCondition(t.changed_when, 'changed_when', taskWhere),
      failedWhen: t.failed_when === undefined ? undefined : asCondition(t.failed_when, 'failed_when', taskWhere),
      ignoreErrors: child.ignoreErrors ?? false,
      noLog: child.noLog ?? false,
      checkMode: child.checkMode,
      environment: child.environment,
      vars: child.vars,
      role: child.role,
      listen: t.listen === undefined ? undefined : asList<string>(t.listen).map(String),
    }
    return [task]
  }
}

/** A play's vars: its vars_files in order, then `vars:`, with the line of each key of `vars:`. */
function playVars(p: Dict, baseDir: string, where: Where): { vars: Dict; varsLines: Record<string, number> } {
  const vars: Dict = {}
  const varsLines: Record<string, number> = {}
  for (const vf of asList<string>(p.vars_files)) {
    const path = isAbsolute(vf) ? vf : join(baseDir, vf)
    const data = readYamlFile(path, where)
    if (data !== null && !isDict(data)) throw new PlaybookError('a vars file must be a mapping', { file: path })
    Object.assign(vars, data ?? {})
  }
  if (p.vars !== undefined) {
    if (!isDict(p.vars)) throw new PlaybookError(`'vars' must be a mapping`, where)
    Object.assign(vars, p.vars)
    Object.assign(varsLines, keyLinesOf(p.vars) ?? {})
  }
  return { vars, varsLines }
}

/** serial, strategy and max_fail_percentage, checked. */
function playStrategy(p: Dict, where: Where): { serial: Array<number | string>; strategy: 'linear' | 'free'; mfp: unknown } {
  const serial = asList<number | string>(p.serial)
  for (const s of serial) {
    if (!(typeof s === 'number' && s > 0) && !(typeof s === 'string' && /^\d+%?$/.test(s.trim()))) {
      throw new PlaybookError(`serial must be a number, a percentage or a list of them, got ${JSON.stringify(s)}`, where)
    }
  }
  const strategy = (p.strategy ?? 'linear') as string
  if (strategy !== 'linear' && strategy !== 'free') {
    throw new PlaybookError(`unknown strategy '${strategy}'`, where, 'use linear or free')
  }
  const mfp = p.max_fail_percentage
  if (mfp !== undefined && (typeof mfp !== 'number' || mfp < 0 || mfp > 100)) {
    throw new PlaybookError('max_fail_percentage must be a number from 0 to 100', where)
  }
  return { serial, strategy, mfp }
}

/** The module's arguments, with `args:` merged in as Ansible merges it. */
function taskArgs(t: Dict, key: string, mod: ModuleInfo, taskWhere: Where): unknown {
  let args = t[key]
  if (t.args !== undefined) {
    if (!isDict(t.args)) throw new PlaybookError(`'args' must be a mapping`, taskWhere)
    if (isDict(args)) args = { ...t.args, ...args }
    else if (args === null || args === undefined) args = t.args
    else if (typeof args === 'string') args = mod.combine(args, t.args, taskWhere)
  }
  return args
}

/** `loop`, or the older with_items / with_list; never two of them. */
function taskLoop(t: Dict, taskWhere: Where): unknown {
  let loop: unknown = t.loop
  for (const w of ['with_items', 'with_list']) {
    if (t[w] !== undefined) {
      if (loop !== undefined) throw new PlaybookError(`use either loop or ${w}, not both`, taskWhere)
      loop = t[w]
    }
  }
  return loop
}

/** A whole number for retries or delay; a template ("{{ drain_retries }}") is kept and rendered when the task runs, as Ansible does. */
function wholeNumber(v: unknown, what: string, taskWhere: Where): number | string | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'string' && isTemplated(v)) return v
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw new PlaybookError(`'${what}' must be a whole number`, taskWhere)
  return n
}

function isImport(k: string): boolean {
  return /^(ansible\.builtin\.)?(import|include)_(tasks|role)$/.test(k)
}

function flattenHandlers(item: Item): TaskDef[] {
  if (item.kind === 'task') return [item]
  return [...item.block, ...item.rescue, ...item.always].flatMap(flattenHandlers)
}

export function loadPlaybook(file: string, opts: LoadOptions): Playbook {
  return new PlaybookLoader(opts).load(file)
}
