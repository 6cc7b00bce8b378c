// `-e` as Ansible takes it: `k=v k2=v2` (strings), a JSON/YAML mapping, or `@file`.

import { existsSync, readFileSync } from 'node:fs'
import { UsageError } from '../errors.js'
import { loadYaml } from '../yaml.js'
import { shlexSplit } from '../shlex.js'

export function parseExtraVars(args: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const a of args) {
    const text = a.trim()
    if (text.startsWith('@')) {
      const file = text.slice(1)
      if (!existsSync(file)) throw new UsageError(`-e ${a}: file not found`, undefined, 'give the path of a YAML or JSON file after @')
      const data = loadYaml(readFileSync(file, 'utf8'), file)
      if (data !== null && (typeof data !== 'object' || Array.isArray(data))) throw new UsageError(`-e ${a}: the file must hold a mapping`)
      Object.assign(out, data ?? {})
    } else if (text.startsWith('{')) {
      let data: unknown
      try { data = loadYaml(text, '-e') } catch { throw new UsageError(`-e ${text.slice(0, 60)}: not valid JSON/YAML`, undefined, 'write -e key=value, -e \'{"key": "value"}\' or -e @file.yml') }
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UsageError('-e: JSON must be an object')
      Object.assign(out, data)
    } else {
      for (const word of shlexSplit(text)) {
        const eq = word.indexOf('=')
        if (eq <= 0) throw new UsageError(`-e: '${word}' is not key=value`, undefined, 'write -e name=value, -e \'{"name": 1}\' or -e @file.yaml')
        out[word.slice(0, eq)] = word.slice(eq + 1)
      }
    }
  }
  return out
}
