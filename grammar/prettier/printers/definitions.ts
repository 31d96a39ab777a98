/** Printers for the file level: the program, imports, definitions and their parameters. */
import { doc } from "prettier";
import { printOwnLineComments } from "../comment-docs.js";
import { danglingComments } from "../nodes.js";
import { printDelimited, printEach, type NodePrinter } from "./context.js";
import { printStatementList } from "./statements.js";

const { hardline } = doc.builders;

export const printProgram: NodePrinter<"Program"> = (node, ctx) => {
  const dangling = danglingComments(node);
  const items = node.items.length > 0 ? [printStatementList(ctx, "items", node.items), hardline] : "";
  const comments =
    dangling.length > 0 ? [node.items.length > 0 ? hardline : "", printOwnLineComments(dangling), hardline] : "";
  return [items, comments];
};

export const printImport: NodePrinter<"Import"> = (_node, ctx) => ["import ", ctx.print("path")];

export const printDefinition: NodePrinter<"Definition"> = (node, ctx) => [
  node.definitionKind,
  " ",
  ctx.print("name"),
  printDelimited("(", printEach(ctx, "params"), ")", []),
  node.returnType ? [" -> ", ctx.print("returnType")] : "",
  " ",
  ctx.print("body"),
];

export const printParameter: NodePrinter<"Parameter"> = (node, ctx) => [
  ctx.print("name"),
  ": ",
  ctx.print("type"),
  node.defaultValue ? [" = ", ctx.print("defaultValue")] : "",
];

export const printTypeRef: NodePrinter<"TypeRef"> = (node, ctx) => [
  ctx.print("name"),
  node.argument ? ["[", ctx.print("argument"), "]"] : "",
];

export const printIdentifier: NodePrinter<"Identifier"> = (node) => node.name;
