/**
 * `a -> b -> c`: on one line when it fits, else broken before each `->`.
 * A chain holding a `branches { … }` or `residual { … }` keeps its arrows next
 * to the braces (`} aggregate concat -> conv(1, w)`), since its bodies span
 * lines anyway. Steps' comments are printed here, around the `->`.
 */
import { doc, type Doc } from "prettier";
import type { ChainStep } from "../../ast.js";
import { hasTrailingLineComment, printLeadingComments, printTrailingComments, type CommentPlace } from "../comment-docs.js";
import { leadingComments } from "../nodes.js";
import type { NodePrinter, PrintContext } from "./context.js";

const { group, hardline, indent, line } = doc.builders;

interface PrintedStep {
  readonly leading: Doc[];
  readonly step: Doc;
  readonly trailing: Doc[];
}

function printSteps(ctx: PrintContext, steps: readonly ChainStep[]): PrintedStep[] {
  const place: CommentPlace = { originalText: ctx.options.originalText, statementLevel: false, listLevel: true };
  return steps.map((step, index) => ({
    leading: printLeadingComments(step, place),
    step: ctx.print(["steps", index]),
    trailing: printTrailingComments(step, place),
  }));
}

function isBlockStep(step: ChainStep): boolean {
  return step.expression.kind === "Branches" || step.expression.kind === "Residual";
}

export const printChain: NodePrinter<"Chain"> = (node, ctx) => {
  const [first, ...rest] = printSteps(ctx, node.steps);
  const head = [first!.leading, first!.step, first!.trailing];
  if (!node.steps.some(isBlockStep)) {
    return group([head, indent(rest.map((s) => [line, s.leading, "-> ", s.step, s.trailing]))]);
  }
  return [
    head,
    rest.map((s, index) => {
      const own = [s.leading, "-> ", s.step, s.trailing];
      const mustBreak = leadingComments(node.steps[index + 1]!).length > 0 || hasTrailingLineComment(node.steps[index]!);
      return mustBreak ? indent([hardline, own]) : [" ", own];
    }),
  ];
};

export const printChainStep: NodePrinter<"ChainStep"> = (node, ctx) => {
  // A line comment after the expression must end its line before `fixed` / `as`.
  const gap = hasTrailingLineComment(node.expression) ? hardline : " ";
  return [ctx.print("expression"), node.fixed ? [gap, "fixed"] : "", node.label ? [gap, "as ", ctx.print("label")] : ""];
};
