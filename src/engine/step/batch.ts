// Batching: consecutive steps for one host go as ONE script in ONE exec. Each step runs in a subshell
// between status markers, so its output, changes and exit code come back separately and a failure still
// names its task. A failing step ends the batch unless it ignores errors (a looped task's items all run
// first). A hangup, a lost connection or a kill ends the script through its traps, which remove its temporary
// files. A batch may carry the facts script in front of its steps (between FACTS markers): a failure there
// ends it before any step.

import { randomBytes } from 'node:crypto'
import { PRELUDE } from './prelude.js'
import type { Step, StepOutput } from './types.js'
import { quote } from '../quote.js'

/** Where ks_sha256 keeps the sums of files it hashed on a host (see prelude.ts). */
export const SUMS_DIR = '/var/lib/kubeseed/sha256'

export interface BatchOptions {
  check: boolean
  diff: boolean
  /** The facts script, run before the steps. */
  facts?: string
}

export interface Batch {
  script: string
  nonce: string
  count: number
  facts: boolean
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

function heredoc(nonce: string, target: string, data: string | Buffer): string {
  const b64 = Buffer.from(data).toString('base64').replace(/.{1,76}/g, '$&\n')
  return `base64 -d > ${target} <<'KS_DATA_${nonce}'\n${b64}KS_DATA_${nonce}\n`
}

export function buildBatch(steps: Step[], opts: BatchOptions): Batch {
  const nonce = `KS${randomBytes(9).toString('hex')}`
  const parts: string[] = [
    'umask 022',
    `KS_NONCE=${nonce}; KS_CHECK=${opts.check ? 1 : 0}; KS_DIFF=${opts.diff ? 1 : 0}`,
    `KS_SUMS=${SUMS_DIR}`,
    // A failed item of the loop under way; a loop that leaves it set ends the batch, so the next starts at 0.
    'ks_loop_rc=0',
    'export LC_ALL=C PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH"',
    PRELUDE,
    'ks_traps',
  ]
  if (opts.facts !== undefined) {
    parts.push(`ks_mark 'FACTS{'\n(\n${opts.facts}\n) </dev/null; ks_rc=$?\nks_mark "FACTS}:$ks_rc"\n[ "$ks_rc" -eq 0 ] || exit 0`)
  }
  const needsTmp = steps.some((s) => s.payloads?.length)
  if (needsTmp) {
    parts.push('KS_T=$(mktemp -d /tmp/.kubeseed.XXXXXXXX) || { echo "cannot create a temporary directory" >&2; exit 97; }')
    parts.push(`trap 'rm -rf "$KS_T"' EXIT`)
  }
  steps.forEach((step, i) => {
    const lines: string[] = []
    const assigns: string[] = []
    step.payloads?.forEach((p, j) => {
      lines.push(heredoc(nonce, `"$KS_T/p${i}_${j}"`, p))
      assigns.push(`KS_P${j}="$KS_T/p${i}_${j}"`)
    })
    for (const [k, v] of Object.entries(step.env ?? {})) {
      if (!ENV_NAME.test(k)) throw new Error(`environment variable name ${JSON.stringify(k)} is not valid`)
      assigns.push(`export ${k}=${quote(v)}`)
    }
    const item = step.ignoreErrors ? undefined : step.loopItem
    lines.push(`ks_mark BEGIN:${i}; ks_mark BEGIN:${i} >&2`)
    lines.push(`(\nks_traps\n${assigns.map((a) => `${a}\n`).join('')}cd / || exit 1\n${step.script}\n) </dev/null; ks_rc=$?`)
    lines.push(`ks_mark END:${i}:$ks_rc; ks_mark END:${i}:$ks_rc >&2`)
    if (item) {
      lines.push('[ "$ks_rc" -eq 0 ] || ks_loop_rc=1')
      if (item.last) lines.push('[ "$ks_loop_rc" -eq 0 ] || exit 0')
    } else if (!step.ignoreErrors) lines.push('[ "$ks_rc" -eq 0 ] || exit 0')
    parts.push(lines.join('\n'))
  })
  return { script: `${parts.join('\n')}\n`, nonce, count: steps.length, facts: opts.facts !== undefined }
}

interface Section {
  stdout: string
  stderr: string
  rc: number | null
  changes: string[]
  skipped?: string
  diff: string
}

function splitStream(text: string, nonce: string): Map<number, { body: string; rc: number | null }> {
  const sections = new Map<number, { body: string; rc: number | null }>()
  const marker = new RegExp(`\\n${nonce}:(BEGIN|END):(\\d+)(?::(\\d+))?\\n`, 'g')
  let open: { index: number; from: number } | undefined
  for (const m of text.matchAll(marker)) {
    const idx = Number(m[2])
    if (m[1] === 'BEGIN') open = { index: idx, from: m.index! + m[0].length }
    else if (open && open.index === idx) {
      sections.set(idx, { body: text.slice(open.from, m.index), rc: Number(m[3]) })
      open = undefined
    }
  }
  // A step that never reached its END marker (connection lost, killed): keep what it printed.
  if (open) sections.set(open.index, { body: text.slice(open.from), rc: null })
  return sections
}

function extractStatus(body: string, nonce: string): Omit<Section, 'stderr' | 'rc'> {
  const changes: string[] = []
  const diffs: string[] = []
  let skipped: string | undefined
  const diffRe = new RegExp(`\\n${nonce}:DIFF\\{\\n([\\s\\S]*?)\\n${nonce}:DIFF\\}\\n`, 'g')
  let rest = body.replace(diffRe, (_all, d: string) => {
    diffs.push(d)
    return ''
  })
  const lineRe = new RegExp(`\\n${nonce}:(CHG|SKIP):([^\\n]*)\\n`, 'g')
  rest = rest.replace(lineRe, (_all, kind: string, msg: string) => {
    if (kind === 'CHG') changes.push(msg)
    else skipped = msg
    return ''
  })
  return { stdout: rest, changes, skipped, diff: diffs.join('\n') }
}

/** The facts script's output and exit code in a batch that carried it; undefined when it did not finish. */
export function parseBatchFacts(stdout: string, batch: Batch): { text: string; rc: number } | undefined {
  if (!batch.facts) return undefined
  const m = new RegExp(`\\n${batch.nonce}:FACTS\\{\\n([\\s\\S]*?)\\n${batch.nonce}:FACTS\\}:(\\d+)\\n`).exec(`\n${stdout}`)
  return m ? { text: m[1]!, rc: Number(m[2]) } : undefined
}

/** Turn the streams of one batch exec into one StepOutput per step. Steps that did not run get rc null. */
export function parseBatch(stdout: string, stderr: string, batch: Batch): StepOutput[] {
  const outs = splitStream(`\n${stdout}`, batch.nonce)
  const errs = splitStream(`\n${stderr}`, batch.nonce)
  const result: StepOutput[] = []
  for (let i = 0; i < batch.count; i++) {
    const o = outs.get(i)
    const e = errs.get(i)
    if (!o && !e) {
      result.push({ rc: null, stdout: '', stderr: '', changes: [], diff: '' })
      continue
    }
    const status = extractStatus(o?.body ?? '', batch.nonce)
    result.push({ ...status, stderr: e?.body ?? '', rc: o?.rc ?? e?.rc ?? null })
  }
  return result
}
