// What a failed command's message keeps of its output: the lines that say what failed (apt's E:/W:, curl's
// and wget's errors, "error:" lines) and the last meaningful lines, without the progress chatter that used
// to push them out of a fixed-size tail. Pure.

const KEY = /^(E|W|Err|Error|ERROR|error|FATAL|fatal):|^curl: \(\d+\)|^wget: |^ctr: |^dpkg: error|\bERROR \d{3}\b|: (error|fatal):/
const NOISE = /^(Reading package lists|Building dependency tree|Reading state information|Hit:\d|Get:\d|Ign:\d|Fetched \d|WARNING: apt does not have a stable CLI|\d+% |\s*\[\d+%\])/
const MAX_LINES = 8
const MAX_CHARS = 400

function meaningful(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r/g, '').trim()).filter((l) => l !== '' && !NOISE.test(l))
}

function pick(lines: string[]): string[] {
  const keep = new Set<number>()
  lines.forEach((l, i) => { if (KEY.test(l)) keep.add(i) })
  for (let i = Math.max(0, lines.length - 3); i < lines.length; i++) keep.add(i)
  const seen = new Set<string>()
  const picked = [...keep].sort((a, b) => a - b).map((i) => lines[i]!).filter((l) => !seen.has(l) && seen.add(l))
  const bounded = picked.length > MAX_LINES ? [...picked.slice(0, MAX_LINES / 2), '…', ...picked.slice(-MAX_LINES / 2)] : picked
  return bounded.map((l) => (l.length > MAX_CHARS ? `${l.slice(0, MAX_CHARS)}…` : l))
}

/** One line for a failed step: the telling lines of stderr (or of stdout when stderr says nothing). */
export function failureSummary(stderr: string, stdout: string, rc: number | null): string {
  const err = meaningful(stderr)
  const lines = err.length ? pick(err) : pick(meaningful(stdout))
  if (lines.length) return lines.join(' | ')
  return rc === null ? 'the step did not finish (connection lost or killed)' : `exit code ${rc}`
}
