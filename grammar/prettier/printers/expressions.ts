/** Printers for operators, literals, names, subscripts and parentheses. */
import { doc, type Doc } from "prettier";
import type { Expression } from "../../ast.js";
import { hasTrailingLineComment, printCommentsBeforeClose } from "../comment-docs.js";
import { danglingComments, leadingComments } from "../nodes.js";
import { parenthesize, printOperand, type NodePrinter } from "./context.js";

const { group, hardline, indent, line, softline } = doc.builders;

const escapes: Record<string, string> = { "\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t" };

/** Strings are re-quoted with `"`; the lexer's escapes (`\\`, `\"`, `\n`, `\t`) read it back. */
export function quoteString(value: string): string {
  return `"${value.replace(/[\\"\n\t]/g, (c) => escapes[c] ?? c)}"`;
}

export const printNumber: NodePrinter<"Number"> = (node) => node.text;

export const printString: NodePrinter<"String"> = (node) => quoteString(node.value);

export const printBoolean: NodePrinter<"Boolean"> = (node) => (node.value ? "true" : "false");

export const printName: NodePrinter<"Name"> = (node) => node.name;

export const printIn: NodePrinter<"In"> = () => "in";

export const printUnary: NodePrinter<"Unary"> = (node, ctx) => {
  // `- -3`, not `--3`: a sign directly before another sign reads as a typo.
  const spaced = node.operator === "not" || (node.operand.kind === "Unary" && node.operand.operator !== "not");
  return [node.operator, spaced ? " " : "", printOperand(ctx, "operand", node.operand, node, "operand")];
};

export const printBinary: NodePrinter<"Binary"> = (node, ctx) =>
  group([
    printOperand(ctx, "left", node.left, node, "left"),
    " ",
    node.operator,
    indent([line, printOperand(ctx, "right", node.right, node, "right")]),
  ]);

export const printRange: NodePrinter<"Range"> = (node, ctx) =>
  group([
    printOperand(ctx, "start", node.start, node, "left"),
    "..",
    indent([softline, printOperand(ctx, "end", node.end, node, "right")]),
  ]);

/** `a[…]` and `a[…:…]`; comments inside the brackets with no part after them stay inside. */
export const printIndex: NodePrinter<"Index"> = (node, ctx) => {
  const inside = [ctx.print("index"), printCommentsBeforeClose(danglingComments(node))];
  const target = printOperand(ctx, "target", node.target, node, "target");
  return group([target, "[", indent([softline, inside]), softline, "]"]);
};

/**
 * The `:` between two slice parts. A line comment after the part before it
 * must end its line; a comment leading the part after it is set off by a space.
 */
function sliceColon(before: Expression | undefined, after: Expression | undefined): Doc {
  if (before && hasTrailingLineComment(before)) return [":", hardline];
  return after && leadingComments(after).length > 0 ? ": " : ":";
}

export const printSlice: NodePrinter<"Slice"> = (node, ctx) => {
  const start = node.start ? ctx.print("start") : "";
  const end = node.end ? ctx.print("end") : "";
  const step = node.step ? [sliceColon(node.end, node.step), ctx.print("step")] : "";
  const parts = [start, sliceColon(node.start, node.end), end, step, printCommentsBeforeClose(danglingComments(node))];
  return group([
    printOperand(ctx, "target", node.target, node, "target"),
    "[",
    indent([softline, parts]),
    softline,
    "]",
  ]);
};

export const printParenthesized: NodePrinter<"Parenthesized"> = (_node, ctx) => parenthesize(ctx.print("expression"));
