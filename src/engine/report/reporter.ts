// Picks the reporter: NDJSON for --output json, listr2 progress on a terminal, plain lines otherwise.

import type { EventSink } from './events.js'
import { JsonReporter } from './json.js'
import { ProgressReporter } from './progress.js'
import { TextReporter } from './text.js'

export interface ReporterOptions {
  output: 'text' | 'json'
  verbose: number
  diff: boolean
  progress: boolean
  write?: (line: string) => void
  isTTY?: boolean
}

export function makeReporter(o: ReporterOptions): EventSink {
  const write = o.write ?? ((l: string) => { process.stdout.write(`${l}\n`) })
  if (o.output === 'json') return new JsonReporter(write)
  if (o.progress && (o.isTTY ?? process.stdout.isTTY)) return new ProgressReporter(write, o.verbose, o.diff)
  return new TextReporter(write, o.verbose, o.diff)
}
