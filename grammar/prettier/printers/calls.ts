/** Printers for calls, arguments and list literals, and the two block expressions. */
import { danglingComments } from "../nodes.js";
import { printDelimited, printEach, printOperand, type NodePrinter } from "./context.js";

export const printCall: NodePrinter<"Call"> = (node, ctx) => [
  ctx.print("callee"),
  printDelimited("(", printEach(ctx, "args"), ")", danglingComments(node)),
];

export const printArgument: NodePrinter<"Argument"> = (node, ctx) =>
  node.name ? [ctx.print("name"), ": ", ctx.print("value")] : ctx.print("value");

export const printList: NodePrinter<"List"> = (node, ctx) =>
  printDelimited("[", printEach(ctx, "elements"), "]", danglingComments(node));

/** `branches { … } aggregate concat`: one branch per line inside the body. */
export const printBranches: NodePrinter<"Branches"> = (node, ctx) => [
  "branches ",
  ctx.print("body"),
  " aggregate ",
  printOperand(ctx, "aggregator", node.aggregator, node, "aggregator"),
];

export const printResidual: NodePrinter<"Residual"> = (node, ctx) => [
  "residual ",
  ctx.print("body"),
  node.shortcut ? [" shortcut ", ctx.print("shortcut")] : "",
];
