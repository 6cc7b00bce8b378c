// Ansible turns a rendered string that looks like a Python list/dict literal (or True/False)
// into the native value, like ast.literal_eval. Anything else stays a string.
import type { Node } from './ast.js'
import { lex } from './lexer.js'
import { Parser } from './parser.js'

const PY_NAMES = new Set(['True', 'False', 'None'])

function isLiteral(n: Node): boolean {
  switch (n.k) {
    case 'lit':
      return true
    case 'list':
    case 'tuple':
      return n.items.every(isLiteral)
    case 'dict':
      return n.entries.every(([k, v]) => isLiteral(k) && isLiteral(v))
    case 'unary':
      return (n.op === '-' || n.op === '+') && n.operand.k === 'lit' && typeof n.operand.v === 'number'
    default:
      return false
  }
}

function value(n: Node): unknown {
  switch (n.k) {
    case 'lit':
      return n.v
    case 'list':
    case 'tuple':
      return n.items.map(value)
    case 'dict':
      return Object.fromEntries(n.entries.map(([k, v]) => [String(value(k)), value(v)]))
    case 'unary':
      return n.op === '-' ? -(value(n.operand) as number) : value(n.operand)
    default:
      return undefined
  }
}

/** The native value of `s` if it is a list/dict literal or True/False; otherwise `s` itself. */
export function literalValue(s: string): unknown {
  const t = s.trim()
  if (t === 'True') return true
  if (t === 'False') return false
  if (!(t.startsWith('[') || t.startsWith('{'))) return s
  try {
    const toks = lex(t)
    if (toks.some((k) => k.type === 'name' && !PY_NAMES.has(k.value))) return s
    const node = new Parser(t).parseAll()
    return isLiteral(node) ? value(node) : s
  } catch {
    return s
  }
}
