// Ansible (jinja2_native off) turns a rendered string that starts with `[` or `{`, or is exactly True or
// False, into the value it spells when Python's ast.literal_eval accepts it (JSON's true/false/null
// too). Anything else, numbers included, stays a string.
import { literalEval } from '../inventory/python-literal.js'

export function literalValue(s: string): unknown {
  if (!(s.startsWith('[') || s.startsWith('{') || s === 'True' || s === 'False')) return s
  const r = literalEval(s, { jsonNames: true })
  return r.ok ? r.value : s
}
