// The API server emulator's object store: Kubernetes objects by (group, resource, namespace, name),
// persisted as one JSON file so a restarted server keeps the cluster.
import { randomUUID } from 'node:crypto'
import { readFileSync, renameSync, writeFileSync } from 'node:fs'

export type KubeObject = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; [k: string]: unknown }
}

export interface ResourceKey {
  group: string
  resource: string
  namespace?: string
}

export class StoreError extends Error {
  constructor(readonly code: number, readonly reason: string, message: string) {
    super(message)
  }
}

function keyOf(k: ResourceKey, name: string): string {
  return `${k.group}|${k.resource}|${k.namespace ?? ''}|${name}`
}

export function groupResource(k: ResourceKey): string {
  return k.group ? `${k.resource}.${k.group}` : k.resource
}

export class ObjectStore {
  private objects = new Map<string, KubeObject>()
  private revision = 1

  constructor(private readonly file?: string) {
    if (file) {
      try {
        const saved = JSON.parse(readFileSync(file, 'utf8')) as { revision: number; objects: Array<[string, KubeObject]> }
        this.objects = new Map(saved.objects)
        this.revision = saved.revision
      } catch {
        // A missing or unreadable state file means an empty cluster.
      }
    }
  }

  private persist(): void {
    if (!this.file) return
    const tmp = `${this.file}.tmp`
    writeFileSync(tmp, JSON.stringify({ revision: this.revision, objects: [...this.objects] }), { mode: 0o600 })
    renameSync(tmp, this.file)
  }

  get(k: ResourceKey, name: string): KubeObject {
    const o = this.objects.get(keyOf(k, name))
    if (!o) throw new StoreError(404, 'NotFound', `${groupResource(k)} "${name}" not found`)
    return structuredClone(o)
  }

  find(k: ResourceKey, name: string): KubeObject | undefined {
    const o = this.objects.get(keyOf(k, name))
    return o ? structuredClone(o) : undefined
  }

  list(k: ResourceKey): KubeObject[] {
    const prefix = `${k.group}|${k.resource}|`
    const out: KubeObject[] = []
    for (const [key, o] of this.objects) {
      if (!key.startsWith(prefix)) continue
      if (k.namespace !== undefined && o.metadata?.namespace !== k.namespace) continue
      out.push(structuredClone(o))
    }
    return out.sort((a, b) => String(a.metadata?.name).localeCompare(String(b.metadata?.name)))
  }

  create(k: ResourceKey, obj: KubeObject): KubeObject {
    const name = obj.metadata?.name
    if (!name) throw new StoreError(422, 'Invalid', `${groupResource(k)} is invalid: metadata.name: Required value: name or generateName is required`)
    const key = keyOf(k, name)
    if (this.objects.has(key)) throw new StoreError(409, 'AlreadyExists', `${groupResource(k)} "${name}" already exists`)
    const stored = structuredClone(obj)
    stored.metadata = {
      ...stored.metadata,
      name,
      ...(k.namespace ? { namespace: k.namespace } : {}),
      uid: randomUUID(),
      resourceVersion: String(++this.revision),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    }
    this.objects.set(key, stored)
    this.persist()
    return structuredClone(stored)
  }

  replace(k: ResourceKey, name: string, obj: KubeObject): KubeObject {
    const old = this.get(k, name)
    const stored = structuredClone(obj)
    stored.metadata = {
      ...stored.metadata,
      name,
      ...(k.namespace ? { namespace: k.namespace } : {}),
      uid: old.metadata?.uid,
      creationTimestamp: old.metadata?.creationTimestamp,
      resourceVersion: String(++this.revision),
    }
    this.objects.set(keyOf(k, name), stored)
    this.persist()
    return structuredClone(stored)
  }

  delete(k: ResourceKey, name: string): KubeObject {
    const old = this.get(k, name)
    this.objects.delete(keyOf(k, name))
    this.persist()
    return old
  }
}

/** RFC 7386 JSON merge patch (what kubectl's label/taint/cordon patches need). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return structuredClone(patch)
  const out: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {}
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}
