// Jinja and Ansible tests: `x is defined`, `v is version('1.30', '>=')`, ...
import { PyFloat } from '../py-float.js'
import { ExprError } from '../errors.js'
import { contains, isDict, pyCompare, pyEquals, truthy, typeName } from './python.js'
import { isUndefined, need } from './undefined.js'
import { versionTest } from './version.js'

type Test = (value: unknown, args: unknown[], kwargs: Record<string, unknown>) => boolean

function regexOf(pattern: unknown, kwargs: Record<string, unknown>): RegExp {
  let flags = ''
  if (kwargs.ignorecase === true) flags += 'i'
  if (kwargs.multiline === true) flags += 'm'
  try {
    return new RegExp(pythonRegex(String(pattern)), flags)
  } catch (e) {
    throw new ExprError(`invalid regular expression '${String(pattern)}': ${(e as Error).message}`)
  }
}

/** Python regex syntax differences that matter in practice: named groups and inline flags. */
export function pythonRegex(p: string): string {
  return p.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>').replace(/\\Z/g, '$').replace(/\\A/g, '^')
}

function asSet(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ExprError(`${what} test needs lists, not ${typeName(v)}`)
  return v
}

const TESTS: Record<string, Test> = {
  defined: (v) => !isUndefined(v),
  undefined: (v) => isUndefined(v),
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number' || v instanceof PyFloat,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => (typeof v === 'number' && !Number.isInteger(v)) || v instanceof PyFloat,
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => isDict(v),
  sequence: (v) => Array.isArray(v) || typeof v === 'string',
  iterable: (v) => Array.isArray(v) || typeof v === 'string' || isDict(v),
  true: (v) => v === true,
  false: (v) => v === false,
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  equalto: (v, a) => pyEquals(v, a[0]),
  sameas: (v, a) => v === a[0],
  ne: (v, a) => !pyEquals(v, a[0]),
  lt: (v, a) => pyCompare(v, a[0], '<') < 0,
  le: (v, a) => pyCompare(v, a[0], '<=') <= 0,
  gt: (v, a) => pyCompare(v, a[0], '>') > 0,
  ge: (v, a) => pyCompare(v, a[0], '>=') >= 0,
  in: (v, a) => contains(a[0], v),
  contains: (v, a) => contains(v, a[0]),
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  match: (v, a, kw) => regexOf(`^(?:${pythonRegex(String(a[0]))})`, kw).test(String(v)),
  search: (v, a, kw) => regexOf(a[0], kw).test(String(v)),
  regex: (v, a, kw) => {
    const type = kw.match_type ?? 'search'
    const p = type === 'match' ? `^(?:${pythonRegex(String(a[0]))})` : type === 'fullmatch' ? `^(?:${pythonRegex(String(a[0]))})$` : a[0]
    return regexOf(p, kw).test(String(v))
  },
  version: (v, a, kw) => versionTest(v, a[0], a[1] ?? kw.operator ?? 'eq', kw.version_type ?? (a[2] === true || kw.strict === true ? 'strict' : 'loose')),
  divisibleby: (v, a) => Number(a[0]) !== 0 && Number(v) % Number(a[0]) === 0,
  even: (v) => Number.isInteger(v) && (v as number) % 2 === 0,
  odd: (v) => Number.isInteger(v) && Math.abs(v as number) % 2 === 1,
  subset: (v, a) => asSet(v, 'subset').every((x) => asSet(a[0], 'subset').some((y) => pyEquals(x, y))),
  superset: (v, a) => asSet(a[0], 'superset').every((x) => asSet(v, 'superset').some((y) => pyEquals(x, y))),
  abs: (v) => typeof v === 'string' && v.startsWith('/'),
  callable: () => false,
  any: (v) => asSet(v, 'any').some(truthy),
  all: (v) => asSet(v, 'all').every(truthy),
}
const ALIASES: Record<string, string> = {
  '==': 'equalto',
  eq: 'equalto',
  '!=': 'ne',
  '<': 'lt',
  lessthan: 'lt',
  '<=': 'le',
  '>': 'gt',
  greaterthan: 'gt',
  '>=': 'ge',
  version_compare: 'version',
  is_abs: 'abs',
  issubset: 'subset',
  issuperset: 'superset',
  mapping: 'mapping',
}

/** Resolve `ansible.builtin.X`, aliases, and tell whether a test exists. */
export function testName(name: string): string | undefined {
  const short = name.replace(/^ansible\.(builtin|utils)\./, '')
  const n = ALIASES[short] ?? short
  return Object.hasOwn(TESTS, n) ? n : undefined
}

export function applyTest(name: string, value: unknown, args: unknown[], kwargs: Record<string, unknown>, expr?: string): boolean {
  const n = testName(name)
  if (!n) throw new ExprError(`test '${name}' is not supported by kubeseed${expr ? ` in "${expr}"` : ''}`, undefined, `supported tests: ${Object.keys(TESTS).join(', ')}`)
  if (n !== 'defined' && n !== 'undefined') need(value)
  return TESTS[n]!(value, args, kwargs)
}
