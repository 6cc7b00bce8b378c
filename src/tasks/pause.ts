// pause: wait a number of seconds or minutes, or until the user answers a prompt (controller only), as
// Ansible's pause module does. The prompt is read from the controlling terminal; a run without one (a pipe, CI)
// cannot be confirmed, so it fails rather than going on unconfirmed.

import { openSync, closeSync, readSync, writeSync } from 'node:fs'
import { PlaybookError } from '../engine/errors.js'
import type { LocalTaskType } from '../engine/task.js'

export interface PauseParams {
  seconds?: number
  minutes?: number
  prompt?: string
  echo: boolean
}

/** One line from the controlling terminal, or undefined when there is none. */
function askTerminal(question: string): string | undefined {
  let fd: number
  try {
    fd = openSync('/dev/tty', 'r+')
  } catch {
    return undefined
  }
  try {
    writeSync(fd, `${question}: `)
    const buf = Buffer.alloc(1)
    let line = ''
    while (readSync(fd, buf, 0, 1, null) === 1 && buf[0] !== 0x0a) line += buf.toString('utf8')
    return line.replace(/\r$/, '')
  } finally {
    closeSync(fd)
  }
}

export const pause: LocalTaskType<PauseParams> = {
  kind: 'local',
  name: 'pause',
  supportsCheck: true,
  params: {
    seconds: { type: 'number' },
    minutes: { type: 'number' },
    prompt: { type: 'string' },
    echo: { type: 'bool', default: true },
  },
  validate(p, where) {
    if (p.seconds !== undefined && p.minutes !== undefined) throw new PlaybookError('pause: "seconds" and "minutes" exclude each other', where, 'give one of them')
    for (const v of [p.seconds, p.minutes]) if (v !== undefined && v < 0) throw new PlaybookError('pause: the time must not be negative', where)
  },
  async run(p) {
    const ms = p.seconds !== undefined ? p.seconds * 1000 : p.minutes !== undefined ? p.minutes * 60_000 : undefined
    if (ms !== undefined) {
      await new Promise((r) => setTimeout(r, ms))
      return { changed: false, msg: `Paused for ${ms / 1000} seconds`, data: { delta: ms / 1000, user_input: '' } }
    }
    const answer = askTerminal(p.prompt ?? 'Press enter to continue, Ctrl+C to interrupt')
    if (answer === undefined) {
      return { failed: true, msg: `pause needs a terminal to ask "${p.prompt ?? 'Press enter to continue'}", and this run has none; run it from a terminal, or turn the prompt off` }
    }
    return { changed: false, msg: 'Paused until the prompt was answered', data: { user_input: answer } }
  },
}
