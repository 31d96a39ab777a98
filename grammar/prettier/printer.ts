/**
 * The printer: one dispatch over node kinds (the `printers` table must have an
 * entry per kind, or it does not compile), and the comment hooks Prettier calls.
 */
import { doc, type AstPath, type Doc, type ParserOptions, type Printer } from "prettier";
import { commentDoc, printLeadingComments, printTrailingComments, type CommentPlace } from "./comment-docs.js";
import { canAttachComment, handleComments, hasPrettierIgnore, isBlockComment, listLevelKinds } from "./comments.js";
import {
  childKeys,
  commentsOf,
  locEnd,
  locStart,
  type AttachedComment,
  type FigsNode,
  type NodeKind,
} from "./nodes.js";
import { printArgument, printBranches, printCall, printList, printResidual } from "./printers/calls.js";
import { printChain, printChainStep } from "./printers/chain.js";
import type { NodePrinter, NodePrinters, PrintContext } from "./printers/context.js";
import {
  printDefinition,
  printIdentifier,
  printImport,
  printParameter,
  printProgram,
  printTypeRef,
} from "./printers/definitions.js";
import * as E from "./printers/expressions.js";
import {
  printAssign,
  printBody,
  printChainStatement,
  printFor,
  printIf,
  printLet,
  printReturn,
} from "./printers/statements.js";

const printers: NodePrinters = {
  Program: printProgram,
  Import: printImport,
  Definition: printDefinition,
  Parameter: printParameter,
  TypeRef: printTypeRef,
  Identifier: printIdentifier,
  Body: printBody,
  Let: printLet,
  Return: printReturn,
  Assign: printAssign,
  For: printFor,
  If: printIf,
  ChainStatement: printChainStatement,
  Chain: printChain,
  ChainStep: printChainStep,
  Argument: printArgument,
  Call: printCall,
  List: printList,
  Branches: printBranches,
  Residual: printResidual,
  Number: E.printNumber,
  String: E.printString,
  Boolean: E.printBoolean,
  Name: E.printName,
  In: E.printIn,
  Unary: E.printUnary,
  Binary: E.printBinary,
  Range: E.printRange,
  Index: E.printIndex,
  Slice: E.printSlice,
  Parenthesized: E.printParenthesized,
};

function printNode<K extends NodeKind>(kind: K, node: FigsNode, ctx: PrintContext): Doc {
  // `node.kind === kind`, so the node is the printer's own kind.
  return (printers[kind] as NodePrinter<K>)(node as Extract<FigsNode, { kind: K }>, ctx);
}

/** Sequence properties whose elements sit one per line when their parent breaks. */
const listKeys: ReadonlySet<string> = new Set(["items", "statements", "params", "args", "elements", "steps"]);

function placeOf(path: AstPath<FigsNode>, options: ParserOptions<FigsNode>): CommentPlace {
  const parent = path.parent;
  const key = path.key ?? "";
  const statementLevel = parent?.kind === "Program" || parent?.kind === "Body";
  const listLevel = parent !== null && listLevelKinds.has(parent.kind) && listKeys.has(key);
  return { originalText: options.originalText, statementLevel, listLevel };
}

/** A node's own doc with its comments around it (chain steps get theirs from the chain). */
function withComments(path: AstPath<FigsNode>, options: ParserOptions<FigsNode>, printed: Doc): Doc {
  const node = path.node;
  if (node.kind === "ChainStep") return printed;
  const place = placeOf(path, options);
  return [printLeadingComments(node, place), printed, printTrailingComments(node, place)];
}

export const figsPrinter: Printer<FigsNode> = {
  print(path, options, print) {
    const ctx: PrintContext = { path, options, print: print };
    return withComments(path, options, printNode(path.node.kind, path.node, ctx));
  },
  printPrettierIgnored(path, options) {
    const [start, end] = [locStart(path.node), locEnd(path.node)];
    // Comments inside the node are part of its verbatim text.
    for (const comment of commentsOf(path.node))
      if (locStart(comment) >= start && locEnd(comment) <= end) comment.printed = true;
    return withComments(path, options, doc.utils.replaceEndOfLine(options.originalText.slice(start, end)));
  },
  hasPrettierIgnore,
  canAttachComment,
  isBlockComment: (comment) => isBlockComment(comment as unknown as AttachedComment),
  printComment: (commentPath) => commentDoc(commentPath.node as unknown as AttachedComment),
  willPrintOwnComments: () => true,
  handleComments,
  getVisitorKeys: (node) => [...childKeys[node.kind]],
};
