// Entry point of the emulated kubeadm binary (bundled into one file by build.ts).
import { kubeadmMain } from '../kubeadm/main.js'

process.exitCode = await kubeadmMain(process.argv.slice(2))
