/**
 * The AST as the Prettier plugin sees it: the parser's nodes plus the fields
 * Prettier adds while attaching comments (`comments` on nodes; `leading`,
 * `trailing`, `printed`, `marker` on comments). Prettier mutates the tree it is
 * given, which is why the plugin always formats a tree it parsed itself.
 */
import type { AstNode, Comment } from "../ast.js";

export type FigsNode = AstNode;
export type NodeKind = FigsNode["kind"];
export type NodeOfKind<K extends NodeKind> = Extract<FigsNode, { kind: K }>;

/** Where a dangling comment of a body goes: `brace` = on the line of its `{`. */
export type CommentMarker = "brace";

export interface AttachedComment extends Comment {
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  marker?: CommentMarker;
  placement?: "ownLine" | "endOfLine" | "remaining";
  enclosingNode?: FigsNode;
  precedingNode?: FigsNode;
  followingNode?: FigsNode;
}

/** Anything with a range: a node or a comment. */
export type Located = FigsNode | Comment;

export function locStart(node: Located): number {
  return node.range.start.offset;
}

export function locEnd(node: Located): number {
  return node.range.end.offset;
}

export function commentsOf(node: FigsNode): AttachedComment[] {
  const comments = (node as { comments?: AttachedComment[] }).comments;
  return Array.isArray(comments) ? comments : [];
}

export function leadingComments(node: FigsNode): AttachedComment[] {
  return commentsOf(node).filter((comment) => comment.leading === true);
}

export function trailingComments(node: FigsNode): AttachedComment[] {
  return commentsOf(node).filter((comment) => comment.trailing === true);
}

export function danglingComments(node: FigsNode, marker?: CommentMarker): AttachedComment[] {
  return commentsOf(node).filter((comment) => !comment.leading && !comment.trailing && comment.marker === marker);
}

/**
 * The properties of each kind that hold child nodes, in source order. A new
 * node kind without an entry here is a type error.
 */
export const childKeys: { readonly [K in NodeKind]: readonly (keyof NodeOfKind<K> & string)[] } = {
  Program: ["items"],
  Import: ["path"],
  Definition: ["name", "params", "returnType", "body"],
  Parameter: ["name", "type", "defaultValue"],
  TypeRef: ["name", "argument"],
  Body: ["statements"],
  Let: ["name", "value"],
  Assign: ["name", "value"],
  For: ["variable", "iterable", "body"],
  If: ["condition", "then", "otherwise"],
  ChainStatement: ["chain"],
  Return: ["value"],
  Chain: ["steps"],
  ChainStep: ["expression", "label"],
  Argument: ["name", "value"],
  Identifier: [],
  Number: [],
  String: [],
  Boolean: [],
  Name: [],
  In: [],
  List: ["elements"],
  Unary: ["operand"],
  Binary: ["left", "right"],
  Range: ["start", "end"],
  Call: ["callee", "args"],
  Index: ["target", "index"],
  Slice: ["target", "start", "end", "step"],
  Parenthesized: ["expression"],
  Branches: ["body", "aggregator"],
  Residual: ["body", "shortcut"],
};
