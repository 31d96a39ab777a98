/** Printers for bodies and statements, and the one-per-line layout they share with the file level. */
import { doc, type Doc } from "prettier";
import type { Statement, TopLevelItem } from "../../ast.js";
import { commentDoc, hasTrailingLineComment, printOwnLineComments } from "../comment-docs.js";
import { danglingComments, leadingComments, locEnd, locStart, type AttachedComment } from "../nodes.js";
import { startsWithSign } from "../precedence.js";
import type { NodePrinter, PrintContext } from "./context.js";

const { hardline, indent } = doc.builders;

type Item = Statement | TopLevelItem;

/** Statements one per line, keeping at most one blank line where the author left one. */
export function printStatementList(ctx: PrintContext, key: string, items: readonly Item[]): Doc[] {
  const text = ctx.options.originalText;
  return items.map((item, index) => {
    const next = items[index + 1];
    const printed: Doc[] = [ctx.print([key, index])];
    if (next && needsSemicolon(item, next)) printed.push(";");
    if (index === 0) return printed;
    const previous = items[index - 1]!;
    return [hardline, blankLineBetween(text, previous, item) ? hardline : "", printed];
  });
}

function blankLineBetween(text: string, previous: Item, next: Item): boolean {
  const firstComment = leadingComments(next)[0];
  const end = firstComment ? Math.min(locStart(firstComment), locStart(next)) : locStart(next);
  return /\n[ \t\r\f\v]*\n/.test(text.slice(locEnd(previous), end));
}

/**
 * Semicolons are dropped, except where the next statement would otherwise
 * continue this one: `a; -b` must not become the subtraction `a - b`.
 */
function needsSemicolon(item: Item, next: Item): boolean {
  if (item.kind === "For" || item.kind === "If" || item.kind === "Definition" || item.kind === "Import") return false;
  return next.kind === "ChainStatement" && startsWithSign(next.chain.steps[0]!.expression);
}

export const printBody: NodePrinter<"Body"> = (node, ctx) => {
  const brace = braceLine(danglingComments(node, "brace"));
  const inside = danglingComments(node);
  if (node.statements.length === 0 && brace.onLine.length === 0 && brace.below.length === 0 && inside.length === 0)
    return "{}";
  const contents: Doc[] = [...brace.below.map((comment) => [hardline, commentDoc(comment)])];
  if (node.statements.length > 0) contents.push(hardline, printStatementList(ctx, "statements", node.statements));
  if (inside.length > 0) contents.push(hardline, printOwnLineComments(inside));
  return ["{", brace.onLine, indent(contents), hardline, "}"];
};

/** Block comments stay on the `{` line up to and including the first line comment; the rest go below. */
function braceLine(comments: readonly AttachedComment[]): { onLine: Doc[]; below: AttachedComment[] } {
  const onLine: Doc[] = [];
  let index = 0;
  for (; index < comments.length; index++) {
    const comment = comments[index]!;
    onLine.push(" ", commentDoc(comment));
    if (!comment.block) {
      index++;
      break;
    }
  }
  return { onLine, below: comments.slice(index) };
}

export const printLet: NodePrinter<"Let"> = (_node, ctx) => ["let ", ctx.print("name"), " = ", ctx.print("value")];

export const printReturn: NodePrinter<"Return"> = (_node, ctx) => ["return ", ctx.print("value")];

export const printAssign: NodePrinter<"Assign"> = (_node, ctx) => [ctx.print("name"), " = ", ctx.print("value")];

export const printFor: NodePrinter<"For"> = (_node, ctx) => [
  "for ",
  ctx.print("variable"),
  " in ",
  ctx.print("iterable"),
  " ",
  ctx.print("body"),
];

export const printIf: NodePrinter<"If"> = (node, ctx) => {
  // A line comment after the `}` ends that line: `else` starts the next one.
  const beforeElse = hasTrailingLineComment(node.then) ? hardline : " ";
  return [
    "if ",
    ctx.print("condition"),
    " ",
    ctx.print("then"),
    node.otherwise ? [beforeElse, "else ", ctx.print("otherwise")] : "",
  ];
};

export const printChainStatement: NodePrinter<"ChainStatement"> = (_node, ctx) => ctx.print("chain");
