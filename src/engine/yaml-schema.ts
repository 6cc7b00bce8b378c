// The YAML schema Ansible reads with (PyYAML, YAML 1.1). js-yaml's YAML 1.1 schema differs from PyYAML
// in ways that change values users rely on: it reads `y`/`n` as booleans (PyYAML keeps them strings)
// and timestamps as JS Dates (ansible-inventory prints Python's isoformat()).
import { PyFloat, pyFloat } from './py-float.js'
import { defineScalarTag, floatYaml11Tag, intYaml11Tag, NOT_RESOLVED, YAML11_SCHEMA } from 'js-yaml'

const PY_TRUE = ['yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']
const PY_FALSE = ['no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']

const pyBoolTag = defineScalarTag<boolean>('tag:yaml.org,2002:bool', {
  implicit: true,
  implicitFirstChars: ['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O'],
  resolve: (source) => {
    if (PY_TRUE.includes(source)) return true
    if (PY_FALSE.includes(source)) return false
    return NOT_RESOLVED
  },
  identify: (v) => typeof v === 'boolean',
})

const DATE_RE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/
const TIMESTAMP_RE =
  /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \t]+)([0-9][0-9]?):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?$/

const pad = (n: number | string, w = 2): string => String(n).padStart(w, '0')

function validDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/** A YAML timestamp as Python's isoformat() prints it, which is what ansible-inventory shows. */
function pyIsoTimestamp(source: string): string | typeof NOT_RESOLVED {
  const date = DATE_RE.exec(source)
  if (date) {
    return validDate(+date[1]!, +date[2]!, +date[3]!) ? `${date[1]}-${date[2]}-${date[3]}` : NOT_RESOLVED
  }
  const m = TIMESTAMP_RE.exec(source)
  if (!m) return NOT_RESOLVED
  const [, y, mo, d, h, mi, s, frac, tz, sign, tzh, tzm] = m
  if (!validDate(+y!, +mo!, +d!) || +h! > 23 || +mi! > 59 || +s! > 59) return NOT_RESOLVED
  let out = `${y}-${pad(mo!)}-${pad(d!)}T${pad(h!)}:${mi}:${s}`
  const micro = (frac ?? '').slice(0, 6).padEnd(6, '0')
  if (+micro !== 0) out += `.${micro}`
  if (tz === 'Z') out += '+00:00'
  else if (tz) out += `${sign}${pad(tzh!)}:${tzm ?? '00'}`
  return out
}

const pyTimestampTag = defineScalarTag<string>('tag:yaml.org,2002:timestamp', {
  implicit: true,
  implicitFirstChars: [...'0123456789'],
  resolve: (source) => pyIsoTimestamp(source),
  identify: () => false,
})

// PyYAML's sexagesimal ints must not start with 0 (`0:30` stays a string), and its floats of the
// form `.5` take no sign (`-.5` stays a string).
const pyIntTag = defineScalarTag<number>('tag:yaml.org,2002:int', {
  ...intYaml11Tag,
  resolve: (source, explicit, name) =>
    !explicit && /^[-+]?0[0-9_]*(?::[0-5]?[0-9])+$/.test(source) ? NOT_RESOLVED : intYaml11Tag.resolve(source, explicit, name),
})

// Its floats stay floats: `3.0` is not the int 3 (see py-float.ts).
const pyFloatTag = defineScalarTag<number | PyFloat>('tag:yaml.org,2002:float', {
  ...(floatYaml11Tag as unknown as Parameters<typeof defineScalarTag<number | PyFloat>>[1]),
  resolve: (source, explicit, name) => {
    if (!explicit && /^[-+]\.[0-9]/.test(source)) return NOT_RESOLVED
    const r = floatYaml11Tag.resolve(source, explicit, name)
    return typeof r === 'number' ? pyFloat(r) : r
  },
})

/** `!unsafe` marks a string Ansible must not template; the value itself is the plain string. */
const unsafeTag = defineScalarTag<string>('!unsafe', {
  resolve: (source) => source,
  identify: () => false,
})

export const ANSIBLE_YAML_SCHEMA = YAML11_SCHEMA.withTags(pyBoolTag, pyIntTag, pyFloatTag, pyTimestampTag, unsafeTag)
