// Entry point of the emulated kubelet binary (bundled into one file by build.ts).
import { kubeletMain } from '../kubelet/main.js'
import { exitQuietlyOnClosedPipe } from '../host/stdio.js'

exitQuietlyOnClosedPipe()
void kubeletMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
