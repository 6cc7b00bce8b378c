// Syntax tree of a Jinja expression.

export type Node =
  | { k: 'lit'; v: unknown }
  | { k: 'name'; name: string; pos: number }
  | { k: 'list'; items: Node[] }
  | { k: 'tuple'; items: Node[] }
  | { k: 'dict'; entries: Array<[Node, Node]> }
  | { k: 'attr'; obj: Node; name: string }
  | { k: 'index'; obj: Node; index: Node }
  | { k: 'slice'; obj: Node; start?: Node; stop?: Node; step?: Node }
  | { k: 'call'; callee: Node; args: Node[]; kwargs: Array<[string, Node]> }
  | { k: 'filter'; value: Node; name: string; args: Node[]; kwargs: Array<[string, Node]> }
  | { k: 'test'; value: Node; name: string; args: Node[]; kwargs: Array<[string, Node]>; negate: boolean }
  | { k: 'unary'; op: 'not' | '-' | '+'; operand: Node }
  | { k: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { k: 'compare'; first: Node; rest: Array<[CompareOp, Node]> }
  | { k: 'and' | 'or'; left: Node; right: Node }
  | { k: 'cond'; then: Node; test: Node; else?: Node }

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~'
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in'

/** A parsed expression with its source, so errors can quote it. */
export interface Expr {
  src: string
  node: Node
}
