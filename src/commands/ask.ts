// Ask for a secret on the terminal without echoing it.

import { createInterface } from 'node:readline'
import { UsageError } from '../engine/errors.js'

export async function askSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError(`${prompt.replace(/: $/, '')} was asked for, but standard input is not a terminal`, undefined,
      'set it as an inventory variable or run from a terminal')
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true })
  const out = rl as unknown as { _writeToOutput: (s: string) => void }
  process.stderr.write(prompt)
  out._writeToOutput = () => {}
  try {
    return await new Promise<string>((resolve) => rl.question('', resolve))
  } finally {
    rl.close()
    process.stderr.write('\n')
  }
}
