// Go's time.ParseDuration, the format of every metav1.Duration field.
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }
const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/

/** Nanoseconds, or undefined when Go would reject the text. */
export function parseGoDuration(text: string): number | undefined {
  let s = text
  let sign = 1
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1
    s = s.slice(1)
  }
  if (s === '0') return 0
  if (s === '') return undefined
  let total = 0
  while (s.length > 0) {
    const m = PART.exec(s)
    if (!m) return undefined
    total += Number(m[1]) * UNIT_NS[m[2]!]!
    s = s.slice(m[0].length)
  }
  return sign * total
}

export function durationMs(text: string | undefined, fallbackMs: number): number {
  if (text === undefined) return fallbackMs
  const ns = parseGoDuration(text)
  return ns === undefined ? fallbackMs : ns / 1e6
}
