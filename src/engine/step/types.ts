// A Step is what one task asks of one host: an idempotent POSIX sh fragment plus the data it needs.
// It must be safe to run twice (the second run changes nothing), honour check mode (KS_CHECK=1: say what
// would change, change nothing), and write files atomically (ks_put). See prelude.ts for the helpers.

export interface Step {
  /** The fragment. Runs in its own subshell, cwd /, stdin /dev/null, with the prelude helpers defined. */
  script: string
  /** Data the script reads: payload i is a file whose path is in "$KS_P<i>". Never logged. */
  payloads?: Array<string | Buffer>
  /** Environment for this step only. */
  env?: Record<string, string>
  /** The batch goes on after this step even if it fails (ignore_errors). */
  ignoreErrors?: boolean
  /** One item of a looped task: as in Ansible, every item runs and a failure ends the batch only after the
   * loop's last item in this batch (`last`). */
  loopItem?: { last: boolean }
}

/** What came back for one step. */
export interface StepOutput {
  /** Exit status; null when the step never ran (an earlier step of the batch failed). */
  rc: number | null
  stdout: string
  stderr: string
  /** Lines the step reported with ks_changed: empty means "ok, nothing changed". */
  changes: string[]
  /** Set when the step reported ks_skipped (e.g. a command in check mode). */
  skipped?: string
  /** Unified diffs the step reported (only in diff mode). */
  diff: string
}
