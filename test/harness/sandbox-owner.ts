// A process that owns a sandbox name as one whose `sandbox up` has returned does (run with `node --import tsx`,
// KUBESEED_SANDBOX_HOME set). Commands on stdin: "take" takes the name and prints "owner <pid>" or
// "refused <line>"; "down" runs the real `sandbox down`, which releases it, and prints "down". It ends when
// stdin closes. It says "ready" first, so racers can be told to take at the same moment.

import { createInterface } from 'node:readline'
import { sandboxDown } from '../../src/sandbox/down.js'
import { takeOwnership } from '../../src/sandbox/owner-lock.js'

const name = process.argv[2] as string
process.stdout.write('ready\n')
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'take') {
    try {
      takeOwnership(name)
      process.stdout.write(`owner ${process.pid}\n`)
    } catch (e) {
      process.stdout.write(`refused ${(e as Error).message}\n`)
    }
  } else if (line === 'down') {
    await sandboxDown({ name })
    process.stdout.write('down\n')
  }
}
