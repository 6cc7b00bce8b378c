// Entry point of the emulated kubectl binary (bundled into one file by build.ts).
import { kubectlMain } from '../kubectl/main.js'
import { exitQuietlyOnClosedPipe } from '../host/stdio.js'

exitQuietlyOnClosedPipe()
void kubectlMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
