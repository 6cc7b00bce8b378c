// Version comparison like Ansible's `version` test (LooseVersion by default, `strict`/`semver` on request).
import { ExprError } from '../errors.js'

type Part = number | string

function loose(v: string): Part[] {
  return (v.match(/\d+|[a-z]+|\.|[^\d\sa-z.]+/gi) ?? []).filter((p) => p !== '.').map((p) => (/^\d+$/.test(p) ? Number(p) : p))
}

function comparePart(a: Part | undefined, b: Part | undefined): number {
  if (a === undefined && b === undefined) return 0
  if (a === undefined) return -1
  if (b === undefined) return 1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  // LooseVersion in Python 3 would raise on int vs str; a leading `v` is the usual cause, so numbers sort first.
  if (typeof a === 'number') return -1
  if (typeof b === 'number') return 1
  return a < b ? -1 : a > b ? 1 : 0
}

export function compareLoose(a: string, b: string): number {
  const pa = loose(a.replace(/^v(?=\d)/, ''))
  const pb = loose(b.replace(/^v(?=\d)/, ''))
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const c = comparePart(pa[i], pb[i])
    if (c !== 0) return Math.sign(c)
  }
  return 0
}

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/

export function compareSemver(a: string, b: string): number {
  const ma = SEMVER.exec(a)
  const mb = SEMVER.exec(b)
  if (!ma || !mb) throw new ExprError(`'${ma ? b : a}' is not a valid semantic version`)
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i]) - Number(mb[i])
    if (d !== 0) return Math.sign(d)
  }
  const ra = ma[4]
  const rb = mb[4]
  if (ra === rb) return 0
  if (ra === undefined) return 1
  if (rb === undefined) return -1
  return compareLoose(ra, rb)
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  '<>': (c) => c !== 0,
  ne: (c) => c !== 0,
}

export function versionTest(value: unknown, ref: unknown, op: unknown = 'eq', type: unknown = 'loose'): boolean {
  if (value === null || value === undefined || value === '') throw new ExprError('version test: the version to compare is empty')
  const check = OPS[String(op)]
  if (!check) throw new ExprError(`version test: unknown operator '${String(op)}'`, undefined, `use one of ${Object.keys(OPS).join(' ')}`)
  const cmp = type === 'semver' || type === 'strict' ? compareSemver : compareLoose
  return check(cmp(String(value), String(ref)))
}
