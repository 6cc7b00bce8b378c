// Python's shlex.split in POSIX mode, which Ansible uses both to cut INI host lines (comments=True: `#`
// starts a comment even inside a word) and to split `command` strings and `key=value` arguments
// (comments=False). Quotes group and disappear; inside double quotes a backslash escapes only `"` and `\`.

export class ShlexError extends Error {}

export interface ShlexToken {
  text: string
  /** Offsets of the word in the input (quotes included). */
  start: number
  end: number
}

const SPACE = new Set([' ', '\t', '\r', '\n'])

export function shlexTokens(input: string, opts: { comments?: boolean } = {}): ShlexToken[] {
  const out: ShlexToken[] = []
  let word = ''
  let start = -1
  let i = 0
  const close = () => {
    if (start >= 0) out.push({ text: word, start, end: i })
    word = ''
    start = -1
  }
  while (i < input.length) {
    const c = input[i]!
    if (SPACE.has(c)) { close(); i++; continue }
    if (c === '#' && opts.comments) break
    if (start < 0) start = i
    if (c === '\\') {
      if (i + 1 >= input.length) throw new ShlexError('No escaped character')
      word += input[i + 1]
      i += 2
      continue
    }
    if (c === "'") {
      const end = input.indexOf("'", i + 1)
      if (end < 0) throw new ShlexError('No closing quotation')
      word += input.slice(i + 1, end)
      i = end + 1
      continue
    }
    if (c === '"') {
      let j = i + 1
      for (;;) {
        if (j >= input.length) throw new ShlexError('No closing quotation')
        const d = input[j]!
        if (d === '"') break
        if (d === '\\' && (input[j + 1] === '"' || input[j + 1] === '\\')) { word += input[j + 1]; j += 2; continue }
        word += d
        j++
      }
      i = j + 1
      continue
    }
    word += c
    i++
  }
  close()
  return out
}

export function shlexSplit(input: string, opts: { comments?: boolean } = {}): string[] {
  return shlexTokens(input, opts).map((t) => t.text)
}
