// Entry point of the emulated kubelet binary (bundled into one file by build.ts).
import { kubeletMain } from '../kubelet/main.js'

process.exitCode = await kubeletMain(process.argv.slice(2))
