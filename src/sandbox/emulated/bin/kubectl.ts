// Entry point of the emulated kubectl binary (bundled into one file by build.ts).
import { kubectlMain } from '../kubectl/main.js'

process.exitCode = await kubectlMain(process.argv.slice(2))
