/**
 * Every node below an AST node, in source order: the AST is plain data whose
 * nodes all have a `kind` and a `range` (grammar/ast.ts), so one generic walk
 * serves the outline and the folding ranges without a case per node kind.
 */
import type { AstNode, Comment } from "../../grammar/ast.js";

type Node = AstNode | Comment;

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && "kind" in value && "range" in value;
}

export function eachNode(root: Node, visit: (node: Node) => void): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push(value[index]);
      continue;
    }
    if (!isNode(value)) continue;
    visit(value);
    const children = Object.entries(value)
      .filter(([key]) => key !== "range")
      .map(([, child]) => child);
    for (let index = children.length - 1; index >= 0; index--) stack.push(children[index]);
  }
}
