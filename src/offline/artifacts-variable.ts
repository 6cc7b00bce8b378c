// `kubeseed_artifacts`: the offline manifest's entry for a host's kube_version and architecture (URLs, sha256,
// images, packages, package sets), as roles read it. The command layer hands it to a run as a computed variable.

import type { HostMagic } from '../engine/run/runner.js'
import { artifactsFor } from './manifest.js'

/** The computed variable, each distinct (version, arch, extra manifest files) resolved once per run. */
export function artifactsVariable(): HostMagic {
  const resolved = new Map<string, unknown>()
  return (_host, playScope) => ({
    kubeseed_artifacts: () => {
      const sc = playScope()
      const kubeVersion = String(sc.get('kube_version'))
      const arch = String(sc.has('image_arch') ? sc.get('image_arch') : sc.has('host_architecture') ? sc.get('host_architecture') : 'amd64')
      const extraFiles = sc.has('kubeseed_manifest_files') ? (sc.get('kubeseed_manifest_files') as string[]) : []
      const key = JSON.stringify([kubeVersion, arch, extraFiles])
      if (!resolved.has(key)) {
        const a = artifactsFor({ kubeVersion, arch, manifestFiles: extraFiles })
        resolved.set(key, {
          kube_version: a.kubeVersion, arch, versions: a.versions,
          files: Object.fromEntries(a.files.map((f) => [f.name, f])), images: a.images, packages: a.packages, package_sets: a.packageSets,
        })
      }
      return resolved.get(key)
    },
  })
}
