// The Kubernetes version an emulated binary pretends to be. The bundler replaces the
// environment lookup with a literal; unbundled runs (tests) set the variable.
import { parseKubeVersion, formatVersion, type KubeVersion } from './versions.js'

export function emulatedVersion(): KubeVersion {
  const text = process.env.KUBESEED_EMULATED_KUBE_VERSION ?? '1.32.0'
  const v = parseKubeVersion(text)
  if (!v) throw new Error(`invalid emulated Kubernetes version ${JSON.stringify(text)}`)
  return v
}

/** The label every emulated binary shows in --help and version output. */
export function emulationLabel(tool: string): string {
  return `kubeseed sandbox emulation of ${tool} ${formatVersion(emulatedVersion())}`
}
