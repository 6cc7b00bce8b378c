// The length in lines of every function of a TypeScript project's files, read with the TypeScript compiler's
// own parser (its API): declarations, methods, constructors, accessors, function expressions and arrows.

import { relative } from 'node:path'
import { SyntaxKind, type Node, type SourceFile } from 'typescript/unstable/ast'
import { API } from 'typescript/unstable/sync'

export interface FunctionSize {
  /** `src/engine/x.ts:12` (its first line, comments before it left out) */
  at: string
  /** its name, or what holds it (`const x = () =>`, `{ key: () => }`), or `<anonymous>` */
  name: string
  lines: number
}

const FUNCTION_KINDS = new Set<SyntaxKind>([
  SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.Constructor, SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor, SyntaxKind.FunctionExpression, SyntaxKind.ArrowFunction,
])

type Named = Node & { name?: Node & { text?: string } }

function nameOf(node: Node): string {
  if (node.kind === SyntaxKind.Constructor) return 'constructor'
  const own = (node as Named).name?.text
  if (own) return own
  const holder = node.parent as Named | undefined
  const held = holder && (holder.kind === SyntaxKind.VariableDeclaration || holder.kind === SyntaxKind.PropertyAssignment || holder.kind === SyntaxKind.PropertyDeclaration) ? holder.name?.text : undefined
  return held ?? '<anonymous>'
}

function sizesOfFile(file: SourceFile, base: string): FunctionSize[] {
  const out: FunctionSize[] = []
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line
  const visit = (node: Node): void => {
    if (FUNCTION_KINDS.has(node.kind)) {
      const first = lineOf(node.getStart(file))
      out.push({ at: `${relative(base, file.fileName)}:${first + 1}`, name: nameOf(node), lines: lineOf(node.end) - first + 1 })
    }
    node.forEachChild(visit)
  }
  file.forEachChild(visit)
  return out
}

/** Every function of the files of `tsconfig` (a path relative to `base`) whose path starts with `under`. */
export function functionSizes(base: string, tsconfig: string, under: string): FunctionSize[] {
  const api = new API({ cwd: base })
  try {
    const project = api.updateSnapshot({ openProjects: [tsconfig] }).getProjects()[0]
    if (!project) throw new Error(`no TypeScript project for ${tsconfig}`)
    const files = project.program.getSourceFileNames().filter((f) => relative(base, f).startsWith(under))
    return files.flatMap((f) => sizesOfFile(project.program.getSourceFile(f)!, base))
  } finally {
    api.close()
  }
}
