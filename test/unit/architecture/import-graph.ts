// The import graph of a source tree, read from the text: every relative `import ... from`, `export ... from`
// and `import('...')`, type-only imports included (they tie the files' design as much as value imports).

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'

export interface ImportEdge {
  from: string
  to: string
  line: number
}

const SPEC = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : []
  })
}

/** Edges between files of `root`, paths relative to `base` (`src/engine/x.ts`). */
export function importEdges(root: string, base: string): ImportEdge[] {
  const edges: ImportEdge[] = []
  for (const file of sourceFiles(root)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(SPEC)) {
      const target = normalize(join(dirname(file), m[1]!.replace(/\.js$/, '.ts')))
      const line = text.slice(0, m.index).split('\n').length
      edges.push({ from: relative(base, file), to: relative(base, target), line })
    }
  }
  return edges
}

/** Every import cycle, each as the files in order (first repeated at the end); one entry per cycle found. */
export function importCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>()
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to])
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const cycles: string[][] = []
  const visit = (f: string): void => {
    state.set(f, 'open')
    stack.push(f)
    for (const t of next.get(f) ?? []) {
      if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t])
      else if (!state.has(t)) visit(t)
    }
    stack.pop()
    state.set(f, 'done')
  }
  for (const f of [...next.keys()].sort()) if (!state.has(f)) visit(f)
  return cycles
}
