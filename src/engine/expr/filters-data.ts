// Serialisation, encoding and hashing filters.
import { createHash } from 'node:crypto'
import { dump, load } from 'js-yaml'
import { ANSIBLE_YAML_SCHEMA } from '../yaml-schema.js'
import { ExprError } from '../errors.js'
import type { Filter } from './filter-types.js'
import { pyJson } from './json-text.js'
import { typeName } from './python.js'
import { versionTest } from './version.js'

function text(v: unknown, filter: string): string {
  if (typeof v === 'string') return v
  throw new ExprError(`filter '${filter}' needs a string, not ${typeName(v)}`)
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'])

function digest(v: unknown, algo: string): string {
  if (!HASHES.has(algo)) throw new ExprError(`hash type '${algo}' is not supported`, undefined, `use one of ${[...HASHES].join(', ')}`)
  return createHash(algo).update(typeof v === 'string' ? v : String(v)).digest('hex')
}

function yaml(v: unknown, indent: number, nice: boolean): string {
  try {
    return dump(v, { indent, sortKeys: true, lineWidth: nice ? 80 : -1, noRefs: true })
  } catch (e) {
    throw new ExprError(`cannot convert to YAML: ${(e as Error).message}`)
  }
}

export const DATA_FILTERS: Record<string, Filter> = {
  to_json: (v, _a, kw) =>
    pyJson(v, {
      indent: kw.indent == null ? undefined : Number(kw.indent),
      sortKeys: kw.sort_keys === true,
      ensureAscii: kw.ensure_ascii !== false,
    }),
  to_nice_json: (v, a, kw) => pyJson(v, { indent: Number(a[0] ?? kw.indent ?? 4), sortKeys: kw.sort_keys !== false, ensureAscii: kw.ensure_ascii !== false }),
  from_json: (v) => {
    try {
      return JSON.parse(text(v, 'from_json'))
    } catch (e) {
      throw new ExprError(`from_json: the value is not valid JSON: ${(e as Error).message}`)
    }
  },
  to_yaml: (v, _a, kw) => yaml(v, Number(kw.indent ?? 2), false),
  to_nice_yaml: (v, a, kw) => yaml(v, Number(a[0] ?? kw.indent ?? 4), true),
  from_yaml: (v) => {
    try {
      return load(text(v, 'from_yaml'), { schema: ANSIBLE_YAML_SCHEMA }) ?? null
    } catch (e) {
      throw new ExprError(`from_yaml: the value is not valid YAML: ${(e as Error).message.split('\n')[0]}`)
    }
  },
  b64encode: (v) => Buffer.from(text(v, 'b64encode'), 'utf8').toString('base64'),
  b64decode: (v) => Buffer.from(text(v, 'b64decode'), 'base64').toString('utf8'),
  hash: (v, a) => digest(v, String(a[0] ?? 'sha1')),
  checksum: (v) => digest(v, 'sha1'),
  md5: (v) => digest(v, 'md5'),
  sha1: (v) => digest(v, 'sha1'),
  version_compare: (v, a, kw) => versionTest(v, a[0], a[1] ?? kw.operator ?? 'eq', kw.version_type ?? (a[2] === true || kw.strict === true ? 'strict' : 'loose')),
}
