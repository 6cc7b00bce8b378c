// Arithmetic and concatenation with Python's rules.
import { ExprError } from '../errors.js'
import type { BinaryOp } from './ast.js'
import { PyFloat, pyFloat } from '../py-float.js'
import { numberOf, pyStr, typeName } from './python.js'

const num = (v: unknown): number | undefined => (typeof v === 'boolean' ? Number(v) : numberOf(v))
/** Python's result type: float when an operand is one (or for true division), else int. */
const isFloat = (v: unknown): boolean => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v))

function unsupported(op: string, a: unknown, b: unknown): never {
  throw new ExprError(`operator '${op}' does not work on ${typeName(a)} and ${typeName(b)}`, undefined, 'convert with | int, | float or | string first')
}

/** Python's % on numbers takes the sign of the divisor. */
function pyMod(a: number, b: number): number {
  if (b === 0) throw new ExprError('modulo by zero')
  const r = a % b
  return r !== 0 && r < 0 !== b < 0 ? r + b : r
}

/** printf-style `'%s-%d' % (a, b)`. */
function formatPercent(fmt: string, arg: unknown): string {
  const args = Array.isArray(arg) ? [...arg] : [arg]
  return fmt.replace(/%([-0 ]?\d*)(?:\.(\d+))?([sdifr%])/g, (_m, flags: string, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%'
    if (!args.length) throw new ExprError(`not enough arguments for format string "${fmt}"`)
    const v = args.shift()
    let s: string
    if (conv === 's' || conv === 'r') s = pyStr(v)
    else if (conv === 'f') s = Number(v).toFixed(prec ? Number(prec) : 6)
    else s = String(Math.trunc(Number(v)))
    const width = Number(flags.replace(/[-0 ]/, '') || 0)
    if (flags.startsWith('-')) return s.padEnd(width)
    if (flags.startsWith('0')) return s.padStart(width, '0')
    return s.padStart(width)
  })
}

export function binaryOp(op: BinaryOp, a: unknown, b: unknown): unknown {
  if (op === '~') return pyStr(a) + pyStr(b)
  const x = num(a)
  const y = num(b)
  if (x !== undefined && y !== undefined) {
    const r = arithmetic(op, x, y)
    if (r === undefined) return unsupported(op, a, b)
    return op === '/' || isFloat(a) || isFloat(b) || (op === '**' && y < 0) ? pyFloat(r) : r
  }
  return sequenceOp(op, a, b, x, y)
}

function arithmetic(op: BinaryOp, x: number, y: number): number | undefined {
  {
    switch (op) {
      case '+':
        return x + y
      case '-':
        return x - y
      case '*':
        return x * y
      case '/':
        if (y === 0) throw new ExprError('division by zero')
        return x / y
      case '//':
        if (y === 0) throw new ExprError('division by zero')
        return Math.floor(x / y)
      case '%':
        return pyMod(x, y)
      case '**':
        return x ** y
    }
  }
  return undefined
}

function sequenceOp(op: BinaryOp, a: unknown, b: unknown, x: number | undefined, y: number | undefined): unknown {
  if (op === '+') {
    if (typeof a === 'string' && typeof b === 'string') return a + b
    if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b]
  }
  if (op === '*') {
    const [seq, n] = y !== undefined ? [a, y] : [b, x]
    if (n !== undefined && Number.isInteger(n)) {
      if (typeof seq === 'string') return seq.repeat(Math.max(0, n))
      if (Array.isArray(seq)) return Array.from({ length: Math.max(0, n) }, () => seq).flat()
    }
  }
  if (op === '%' && typeof a === 'string') return formatPercent(a, b)
  return unsupported(op, a, b)
}
