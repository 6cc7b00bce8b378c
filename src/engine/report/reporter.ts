// Picks the reporter: NDJSON for --output json, listr2 progress on a terminal, plain lines otherwise.
// listr2 is loaded only for a terminal, so a scripted or CI run does not pay for it at start.

import { redactDeep } from '../redact.js'
import type { EventSink } from './events.js'
import { JsonReporter } from './json.js'
import { TextReporter } from './text.js'

export interface ReporterOptions {
  output: 'text' | 'json'
  verbose: number
  diff: boolean
  progress: boolean
  write?: (line: string) => void
  isTTY?: boolean
}

export async function makeReporter(o: ReporterOptions): Promise<EventSink> {
  const write = o.write ?? ((l: string) => { process.stdout.write(`${l}\n`) })
  return redacting(await pickReporter(o, write))
}

/** The reporter for the options, without the redacting guard makeReporter puts in front of it. */
export async function pickReporter(o: ReporterOptions, write: (line: string) => void): Promise<EventSink> {
  if (o.output === 'json') return new JsonReporter(write)
  if (o.progress && (o.isTTY ?? process.stdout.isTTY)) {
    const { ProgressReporter } = await import('./progress.js')
    return new ProgressReporter(write, o.verbose, o.diff)
  }
  return new TextReporter(write, o.verbose, o.diff)
}

/** Every event passes redactUrls before any reporter sees it: a URL's password is never printed. */
function redacting(sink: EventSink): EventSink {
  return { emit: (e) => sink.emit(redactDeep(e)), close: sink.close ? () => sink.close!() : undefined }
}
