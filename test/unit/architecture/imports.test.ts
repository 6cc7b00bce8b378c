// Every import runs down: the engine knows no command, no offline tool and no sandbox; the offline tools
// know no sandbox; and no files of src/ import each other in a circle.

import { expect } from 'chai'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { PACKAGE_ROOT } from '../../../src/engine/paths.js'
import { importCycles, importEdges, type ImportEdge } from './import-graph.js'

/** Folders (or files) of src/ that a folder of src/ must never import. */
const FORBIDDEN: Record<string, string[]> = {
  'src/engine/': ['src/offline/', 'src/sandbox/', 'src/commands/', 'src/tasks/', 'src/cli.ts'],
  'src/offline/': ['src/sandbox/', 'src/commands/', 'src/cli.ts'],
  'src/tasks/': ['src/offline/', 'src/sandbox/', 'src/commands/', 'src/cli.ts'],
  'src/sandbox/': ['src/commands/', 'src/cli.ts'],
}

function violations(edges: ImportEdge[]): string[] {
  return edges
    .filter((e) => Object.entries(FORBIDDEN).some(([from, bad]) => e.from.startsWith(from) && bad.some((b) => e.to.startsWith(b))))
    .map((e) => `${e.from}:${e.line} imports ${e.to}`)
}

const describeCycle = (c: string[]) => c.join(' -> ')

describe('architecture: imports', () => {
  const edges = importEdges(join(PACKAGE_ROOT, 'src'), PACKAGE_ROOT)

  it('reads the imports of src/ (the rules below have something to judge)', () => {
    expect(edges.length).to.be.greaterThan(300)
    expect(edges.some((e) => e.from === 'src/cli.ts' && e.to === 'src/commands/play.ts')).to.equal(true)
  })

  it('no import runs back up (engine knows no offline, sandbox or command; offline knows no sandbox)', () => {
    expect(violations(edges), 'imports that run back up').to.deep.equal([])
  })

  it('no files of src/ import each other in a circle', () => {
    expect(importCycles(edges).map(describeCycle), 'import circles').to.deep.equal([])
  })

  describe('the checker itself', () => {
    const tree = (files: Record<string, string>): ImportEdge[] => {
      const root = mkdtempSync(join(tmpdir(), 'ks-imports-'))
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true })
        writeFileSync(join(root, path), text)
      }
      return importEdges(join(root, 'src'), root)
    }

    it('names an import that runs back up, with its line', () => {
      const e = tree({
        'src/engine/run/session.ts': "import { a } from './a.js'\nimport { artifactsFor } from '../../offline/manifest.js'\n",
        'src/engine/run/a.ts': 'export const a = 1\n',
        'src/offline/manifest.ts': "import type { X } from '../sandbox/x.js'\n",
      })
      expect(violations(e)).to.deep.equal([
        'src/engine/run/session.ts:2 imports src/offline/manifest.ts',
        'src/offline/manifest.ts:1 imports src/sandbox/x.ts',
      ])
    })

    it('finds a circle through type-only and dynamic imports', () => {
      const e = tree({
        'src/a.ts': "import type { B } from './b.js'\n",
        'src/b.ts': "export const load = () => import('./c.js')\n",
        'src/c.ts': "export { a } from './a.js'\n",
        'src/d.ts': "import './a.js'\n",
      })
      expect(importCycles(e).map(describeCycle)).to.deep.equal(['src/a.ts -> src/b.ts -> src/c.ts -> src/a.ts'])
    })
  })
})
