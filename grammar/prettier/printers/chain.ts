/**
 * `a -> b -> c`: on one line when it fits, else broken before each `->`.
 * A chain holding a `branches { … }` or `residual { … }` keeps its arrows next
 * to the braces (`} aggregate concat -> conv(1, w)`), since its bodies span
 * lines anyway.
 *
 * Steps' comments are printed here, placed by the arrow: a comment before an
 * arrow trails the step before it (on that step's line, or on lines of its
 * own before the arrow), a comment after an arrow leads the step after it
 * (`-> /* note *\/ b`). Formatted again, each attaches to the same step.
 */
import { doc, util, type Doc } from "prettier";
import type { ChainStep } from "../../ast.js";
import { commentDoc, hasTrailingLineComment } from "../comment-docs.js";
import { danglingComments, leadingComments, locStart, trailingComments, type AttachedComment } from "../nodes.js";
import type { NodePrinter, PrintContext } from "./context.js";

const { breakParent, group, hardline, indent, join, line, lineSuffix } = doc.builders;

interface PrintedStep {
  /** After the arrow, before the step. */
  readonly leading: Doc[];
  readonly step: Doc;
  /** On the step's own line. */
  readonly trailing: Doc[];
  /** On lines of their own, before the next arrow. */
  readonly ownLines: Doc[];
}

function printStep(ctx: PrintContext, step: ChainStep, index: number): PrintedStep {
  const text = ctx.options.originalText;
  const leading = leadingComments(step).map((comment) => [commentDoc(comment), comment.block ? " " : hardline]);
  const printed = ctx.print(["steps", index]);
  const after = [...danglingComments(step), ...trailingComments(step)].sort((a, b) => locStart(a) - locStart(b));
  // Comments stay on the step's line until one starts a new line or follows a line comment.
  const split = after.findIndex((comment, i) => util.hasNewline(text, locStart(comment), { backwards: true }) || (i > 0 && !after[i - 1]!.block));
  const onLine = split < 0 ? after : after.slice(0, split);
  const trailing = onLine.map((comment: AttachedComment) =>
    comment.block ? [" ", commentDoc(comment)] : [lineSuffix([" ", commentDoc(comment)]), breakParent],
  );
  const ownLines = (split < 0 ? [] : after.slice(split)).map(commentDoc);
  return { leading, step: printed, trailing, ownLines };
}

function isBlockStep(step: ChainStep): boolean {
  return step.expression.kind === "Branches" || step.expression.kind === "Residual";
}

/** The part of a broken chain for one step after the first: comments of the step before, `->`, the step. */
function segment(previous: PrintedStep, current: PrintedStep): Doc[] {
  const ownLines = previous.ownLines.length > 0 ? [join(hardline, previous.ownLines), hardline] : "";
  return [ownLines, "-> ", current.leading, current.step, current.trailing];
}

export const printChain: NodePrinter<"Chain"> = (node, ctx) => {
  const steps = node.steps.map((step, index) => printStep(ctx, step, index));
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const head = [first.leading, first.step, first.trailing];
  const tail = last.ownLines.length > 0 ? lineSuffix([hardline, join(hardline, last.ownLines)]) : "";
  const rest = steps.slice(1).map((current, i) => ({ previous: steps[i]!, current, index: i + 1 }));
  if (!node.steps.some(isBlockStep)) {
    return [group([head, indent(rest.map(({ previous, current }) => [line, segment(previous, current)]))]), tail];
  }
  const parts = rest.map(({ previous, current, index }) => {
    const mustBreak = previous.ownLines.length > 0 || hasTrailingLineComment(node.steps[index - 1]!);
    return mustBreak ? indent([hardline, segment(previous, current)]) : [" ", segment(previous, current)];
  });
  return [head, parts, tail];
};

export const printChainStep: NodePrinter<"ChainStep"> = (node, ctx) => {
  // A line comment after the expression must end its line before `fixed` / `as`.
  const gap = hasTrailingLineComment(node.expression) ? hardline : " ";
  return [ctx.print("expression"), node.fixed ? [gap, "fixed"] : "", node.label ? [gap, "as ", ctx.print("label")] : ""];
};
