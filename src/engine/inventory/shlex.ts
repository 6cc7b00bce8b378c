// Python's shlex.split(line, comments=True) in POSIX mode, which Ansible uses to cut an INI host
// line into words: quotes group and disappear, and `#` starts a comment even inside a word.

export class ShlexError extends Error {}

export function shlexSplit(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let i = 0
  while (i < line.length) {
    const c = line[i]!
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      if (inWord) words.push(word)
      word = ''
      inWord = false
      i++
      continue
    }
    if (c === '#') break
    inWord = true
    if (c === '\\') {
      if (i + 1 >= line.length) throw new ShlexError('No escaped character')
      word += line[i + 1]
      i += 2
      continue
    }
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1)
      let j = i + 1
      if (c === "'") {
        if (close < 0) throw new ShlexError('No closing quotation')
        word += line.slice(j, close)
        i = close + 1
        continue
      }
      for (;;) {
        if (j >= line.length) throw new ShlexError('No closing quotation')
        const d = line[j]!
        if (d === '"') break
        // inside double quotes a backslash only escapes `"` and `\`
        if (d === '\\' && (line[j + 1] === '"' || line[j + 1] === '\\')) {
          word += line[j + 1]
          j += 2
          continue
        }
        word += d
        j++
      }
      i = j + 1
      continue
    }
    word += c
    i++
  }
  if (inWord) words.push(word)
  return words
}
