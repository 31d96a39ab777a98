/**
 * `a -> b -> c`: on one line when it fits, else broken before each `->`.
 * A chain holding a `branches { … }` or `residual { … }` keeps its arrows next
 * to the braces (`} aggregate concat -> conv(1, w)`), since its bodies span
 * lines anyway.
 *
 * Steps' comments are printed here, placed by the arrow: a comment on a
 * step's line trails it; one on a line of its own before an arrow, or after
 * the arrow (`-> /* note *\/ b`), leads the next step and is printed on the
 * same side of the arrow. Formatted again, each attaches to the same step.
 */
import { doc, type Doc } from "prettier";
import type { ChainStep } from "../../ast.js";
import { commentDoc, hasTrailingLineComment } from "../comment-docs.js";
import { isAfterArrow } from "../comments.js";
import { danglingComments, leadingComments, locStart, trailingComments, type AttachedComment } from "../nodes.js";
import type { NodePrinter, PrintContext } from "./context.js";

const { breakParent, group, hardline, indent, join, line, lineSuffix } = doc.builders;

interface PrintedStep {
  /** On lines of their own before the arrow: the step's own-line leading comments, or the previous step's. */
  readonly beforeArrow: Doc[];
  /** After the arrow, before the step. */
  readonly afterArrow: Doc[];
  readonly step: Doc;
  /** On the step's own line. */
  readonly trailing: Doc[];
  /** Trailing comments that cannot share the step's line (after a line comment). */
  readonly ownLines: Doc[];
}

function printStep(ctx: PrintContext, steps: readonly ChainStep[], index: number): PrintedStep {
  const text = ctx.options.originalText;
  const step = steps[index]!;
  const previous = steps[index - 1];
  const leading = leadingComments(step);
  const afterArrow = leading.filter((comment) => !previous || isAfterArrow(text, previous, comment));
  const beforeArrow = leading.filter((comment) => !afterArrow.includes(comment)).map(commentDoc);
  const printedAfterArrow = afterArrow.map((comment) => [commentDoc(comment), comment.block ? " " : hardline]);
  const printed = ctx.print(["steps", index]);
  const after = [...danglingComments(step), ...trailingComments(step)].sort((a, b) => locStart(a) - locStart(b));
  // Comments stay on the step's line up to the first line comment.
  const split = after.findIndex((comment, i) => i > 0 && !after[i - 1]!.block);
  const onLine = split < 0 ? after : after.slice(0, split);
  const trailing = onLine.map((comment: AttachedComment) =>
    comment.block ? [" ", commentDoc(comment)] : [lineSuffix([" ", commentDoc(comment)]), breakParent],
  );
  const ownLines = (split < 0 ? [] : after.slice(split)).map(commentDoc);
  return { beforeArrow, afterArrow: printedAfterArrow, step: printed, trailing, ownLines };
}

function isBlockStep(step: ChainStep): boolean {
  return step.expression.kind === "Branches" || step.expression.kind === "Residual";
}

/** The part of a broken chain for one step after the first: own-line comments, `->`, the step. */
function segment(previous: PrintedStep, current: PrintedStep): Doc[] {
  const ownLines = [...previous.ownLines, ...current.beforeArrow];
  return [
    ownLines.length > 0 ? [join(hardline, ownLines), hardline] : "",
    "-> ",
    current.afterArrow,
    current.step,
    current.trailing,
  ];
}

export const printChain: NodePrinter<"Chain"> = (node, ctx) => {
  const steps = node.steps.map((_, index) => printStep(ctx, node.steps, index));
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const head = [first.beforeArrow.map((comment) => [comment, hardline]), first.afterArrow, first.step, first.trailing];
  const tail = last.ownLines.length > 0 ? lineSuffix([hardline, join(hardline, last.ownLines)]) : "";
  const rest = steps.slice(1).map((current, i) => ({ previous: steps[i]!, current, index: i + 1 }));
  if (!node.steps.some(isBlockStep)) {
    return [group([head, indent(rest.map(({ previous, current }) => [line, segment(previous, current)]))]), tail];
  }
  const parts = rest.map(({ previous, current, index }) => {
    const mustBreak =
      current.beforeArrow.length > 0 || previous.ownLines.length > 0 || hasTrailingLineComment(node.steps[index - 1]!);
    return mustBreak ? indent([hardline, segment(previous, current)]) : [" ", segment(previous, current)];
  });
  return [head, parts, tail];
};

export const printChainStep: NodePrinter<"ChainStep"> = (node, ctx) => {
  const markings = [
    node.fixed ? "fixed" : "",
    node.fixed && node.label ? " " : "",
    node.label ? ["as ", ctx.print("label")] : "",
  ];
  if (!node.fixed && !node.label) return ctx.print("expression");
  // A line comment after the expression must end its line before `fixed` / `as`.
  const gap = hasTrailingLineComment(node.expression) ? indent([hardline, markings]) : [" ", markings];
  return [ctx.print("expression"), gap];
};
