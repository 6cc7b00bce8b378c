// Entry point of the emulated kubeadm binary (bundled into one file by build.ts).
import { kubeadmMain } from '../kubeadm/main.js'
import { exitQuietlyOnClosedPipe } from '../host/stdio.js'

exitQuietlyOnClosedPipe()
void kubeadmMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code
})
