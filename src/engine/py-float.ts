// A Python float whose value is integral (3.0, 1e3 read as 1000.0): JavaScript's number cannot tell it
// from the int 3, and Ansible prints and types the two differently ("3.0", `is float`). Only integral
// floats are wrapped; 2.5 stays a plain number, which already reads as a float.

export class PyFloat {
  constructor(readonly value: number) {}

  /** Arithmetic and comparison in plain JavaScript see the number. */
  valueOf(): number {
    return this.value
  }

  /** Python's str(): 3.0, 1e+16. */
  toString(): string {
    return floatText(this.value)
  }

  toJSON(): number {
    return this.value
  }
}

/** A float as Python types it: wrapped when integral and finite, else the number itself. */
export function pyFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n
}

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat
}

/** Python's repr of a float. */
export function floatText(x: number): string {
  if (Number.isNaN(x)) return 'nan'
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf'
  const abs = Math.abs(x)
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    const [mant, expText] = x.toExponential().split('e') as [string, string]
    const exp = Number(expText)
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  const s = String(x)
  return Number.isInteger(x) ? `${s}.0` : s
}
