/** What every node printer receives, and the helpers they share. */
import { doc, type AstPath, type Doc, type ParserOptions } from "prettier";
import type { Expression } from "../../ast.js";
import { commentDoc } from "../comment-docs.js";
import type { AttachedComment, FigsNode, NodeKind, NodeOfKind } from "../nodes.js";
import { needsParens, type Slot } from "../precedence.js";

const { group, hardline, ifBreak, indent, join, line, softline, breakParent } = doc.builders;

export type PrintChild = (selector?: string | number | Array<string | number> | AstPath<FigsNode>) => Doc;

export interface PrintContext {
  readonly path: AstPath<FigsNode>;
  readonly options: ParserOptions<FigsNode>;
  readonly print: PrintChild;
}

export type NodePrinter<K extends NodeKind> = (node: NodeOfKind<K>, ctx: PrintContext) => Doc;

/** A printer per node kind: a kind without one is a type error. */
export type NodePrinters = { readonly [K in NodeKind]: NodePrinter<K> };

/** Prints each element of the array property `key` of the current node. */
export function printEach(ctx: PrintContext, key: string): Doc[] {
  const items = (ctx.path.node as unknown as Record<string, unknown>)[key];
  const count = Array.isArray(items) ? items.length : 0;
  return Array.from({ length: count }, (_, index) => ctx.print([key, index]));
}

/** Prints the child `key`, in parentheses when the grammar would otherwise read it differently. */
export function printOperand(ctx: PrintContext, key: string, child: Expression, parent: Expression, slot: Slot): Doc {
  const printed = ctx.print(key);
  return needsParens(child, parent, slot) ? parenthesize(printed) : printed;
}

/** `( … )`, broken like a list when the inside does not fit: the same for written and added parentheses. */
export function parenthesize(inner: Doc): Doc {
  return group(["(", indent([softline, inner]), softline, ")"]);
}

/**
 * `(a, b, c)` or `[a, b, c]`: on one line when it fits, else one item per
 * line with a trailing comma. Comments after the last item stay inside.
 */
export function printDelimited(
  open: string,
  items: Doc[],
  close: string,
  endComments: readonly AttachedComment[],
): Doc {
  if (items.length === 0 && endComments.length === 0) return [open, close];
  const comments = endComments.map(commentDoc);
  const forceBreak = endComments.some((comment) => !comment.block) ? breakParent : "";
  const itemsPart = items.length > 0 ? [join([",", line], items), ifBreak(",")] : "";
  const commentsPart =
    comments.length > 0 ? [items.length > 0 ? hardline : "", join(hardline, comments), forceBreak] : "";
  return group([open, indent([softline, itemsPart, commentsPart]), softline, close]);
}
