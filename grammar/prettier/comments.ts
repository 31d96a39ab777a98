/**
 * Where comments go. Prettier attaches each comment to a neighbouring node
 * (leading / trailing) or to the node around it (dangling); the handlers below
 * override its defaults where the default would move a comment somewhere that,
 * formatted again, attaches differently — the formatter must be idempotent.
 */
import { util, type AstPath } from "prettier";
import { locEnd, locStart, leadingComments, type AttachedComment, type FigsNode, type NodeKind } from "./nodes.js";

/**
 * Nodes whose children are one per line when broken (statements, items,
 * parameters, arguments, list elements, chain steps). Inside them an own-line
 * comment leads the next child; anywhere else it trails the previous one.
 */
export const listLevelKinds: ReadonlySet<NodeKind> = new Set<NodeKind>([
  "Program",
  "Body",
  "Definition",
  "Call",
  "List",
  "Chain",
]);

/** Nodes that own a `{ … }` body: a comment just before the body goes on its brace line. */
const bodyOwnerKinds: ReadonlySet<NodeKind> = new Set<NodeKind>(["Definition", "For", "If", "Branches", "Residual"]);

/** Text between two nodes with the comments taken out: what tokens separate them. */
function tokensBetween(text: string, from: number, to: number): string {
  return text.slice(from, to).replace(/#[^\n]*|\/\*[\s\S]*?\*\//g, "");
}

/** Only spaces and block comments, with no line break outside those comments. */
function isSameLineGap(text: string, from: number, to: number): boolean {
  const gap = tokensBetween(text, from, to);
  return !gap.includes("\n") && gap.trim() === "";
}

/** Names and type names are printed by their parents as plain text: comments go to a neighbour. */
export function canAttachComment(node: FigsNode): boolean {
  return node.kind !== "Identifier" && node.kind !== "TypeRef" && (node as { kind: string }).kind !== "Comment";
}

export function isBlockComment(comment: AttachedComment): boolean {
  return comment.block;
}

export function isPrettierIgnoreComment(comment: AttachedComment): boolean {
  return /^(?:#\s*prettier-ignore|\/\*\s*prettier-ignore\s*\*\/)$/.test(comment.text.trim());
}

export function hasPrettierIgnore(path: AstPath<FigsNode>): boolean {
  const node = path.node;
  return node !== null && typeof node === "object" && leadingComments(node).some(isPrettierIgnoreComment);
}

/**
 * `{ # note` — a comment on the line of a body's opening brace stays there.
 * A block comment spanning lines between them does not end that line: the
 * printer keeps `{ /* a⏎b *\/ # note` together, so the next run must too.
 */
function handleBraceLine(comment: AttachedComment, text: string): boolean {
  const body = comment.enclosingNode;
  if (body?.kind !== "Body" || comment.precedingNode) return false;
  if (tokensBetween(text, locStart(body) + 1, locStart(comment)).includes("\n")) return false;
  util.addDanglingComment(body, comment, "brace");
  return true;
}

/** `for i in xs # note` / `} # note` before `else {`: printed after the `{` that follows. */
function handleBeforeBody(comment: AttachedComment): boolean {
  const enclosing = comment.enclosingNode;
  const following = comment.followingNode;
  if (!enclosing || !following || !bodyOwnerKinds.has(enclosing.kind)) return false;
  if (enclosing.kind === "Definition" && comment.precedingNode && following.kind === "Body") {
    // `x: int, # note` after the last parameter stays with the parameter, inside the parentheses.
    util.addTrailingComment(comment.precedingNode, comment);
    return true;
  }
  if (following.kind === "Body") {
    util.addDanglingComment(following, comment, "brace");
    return true;
  }
  if (following.kind === "If" && enclosing.kind === "If" && enclosing.otherwise === following) {
    // Before `else if`: after the `}`, ahead of everything in the next condition.
    util.addTrailingComment(enclosing.then, comment);
    return true;
  }
  return false;
}

/** What separates the items of each one-per-line sequence. */
const separators: Partial<Record<NodeKind, string>> = { Body: ";", Call: ",", List: ",", Definition: "," };

/**
 * `a # note` then `;` or `,`: a comment before the separator after an item
 * still belongs to that item, so it stays ahead of comments after the separator.
 */
function handleBeforeSeparator(comment: AttachedComment, text: string): boolean {
  const { precedingNode: previous, followingNode: next } = comment;
  // Top-level comments have no enclosing node: the program's items are separated like a body's.
  const separator = separators[comment.enclosingNode?.kind ?? "Body"];
  if (!separator || !previous || !next) return false;
  if (!tokensBetween(text, locEnd(comment), locStart(next)).includes(separator)) return false;
  util.addTrailingComment(previous, comment);
  return true;
}

/** `} # note` before `aggregate`: leads the aggregator, so the `}` line stays clean. */
function handleBeforeAggregator(comment: AttachedComment): boolean {
  const enclosing = comment.enclosingNode;
  if (enclosing?.kind !== "Branches" || comment.followingNode !== enclosing.aggregator) return false;
  util.addLeadingComment(enclosing.aggregator, comment);
  return true;
}

/** True when an arrow separates `previous` from the comment: the comment is on the next step's side. */
export function isAfterArrow(text: string, previous: FigsNode, comment: AttachedComment): boolean {
  return tokensBetween(text, locEnd(previous), locStart(comment)).includes("->");
}

/**
 * Between two steps of a chain: a comment on the previous step's line trails
 * that step; one on a line of its own, or after the arrow, leads the next step
 * (the chain prints it on the same side of the arrow, so formatting again
 * finds it there). `# prettier-ignore` above `-> step` thus applies to the step.
 */
function handleBetweenSteps(comment: AttachedComment, text: string): boolean {
  const { enclosingNode: chain, precedingNode: previous, followingNode: next } = comment;
  if (chain?.kind !== "Chain" || !previous || !next) return false;
  if (comment.placement === "ownLine" || isAfterArrow(text, previous, comment)) util.addLeadingComment(next, comment);
  else util.addTrailingComment(previous, comment);
  return true;
}

/**
 * `a[ # note⏎ i]`: a comment inside the brackets, before the first part,
 * leads that part; with no part after it, it dangles, printed before the `]`.
 * By default it would trail the target, printed before the `[`: a block
 * comment spanning lines there starts a new statement (a line break before
 * `[`, even inside a comment, does), so `a /* note⏎ *\/[i]` no longer
 * parses; and a comment after a `:` would move ahead of comments before it.
 */
function handleInsideSubscript(comment: AttachedComment, text: string): boolean {
  const enclosing = comment.enclosingNode;
  if (enclosing?.kind !== "Index" && enclosing?.kind !== "Slice") return false;
  if (comment.precedingNode !== enclosing.target) return false;
  if (!tokensBetween(text, locEnd(enclosing.target), locStart(comment)).includes("[")) return false;
  if (comment.followingNode) util.addLeadingComment(comment.followingNode, comment);
  else util.addDanglingComment(enclosing, comment, undefined);
  return true;
}

/** An own-line comment after the last argument or element stays inside the brackets. */
function handleListEnd(comment: AttachedComment): boolean {
  const enclosing = comment.enclosingNode;
  if (!enclosing || (enclosing.kind !== "Call" && enclosing.kind !== "List")) return false;
  if (!comment.precedingNode || comment.followingNode) return false;
  util.addDanglingComment(enclosing, comment, undefined);
  return true;
}

/**
 * Inside an expression an own-line line comment trails what precedes it
 * (printed at the line's end); a block comment stays inline before what follows.
 */
function handleInsideExpression(comment: AttachedComment, text: string): boolean {
  const enclosing = comment.enclosingNode;
  if (!enclosing || listLevelKinds.has(enclosing.kind) || !comment.precedingNode) return false;
  const following = comment.followingNode;
  if (comment.block && following && isSameLineGap(text, locEnd(comment), locStart(following))) return false;
  util.addTrailingComment(comment.precedingNode, comment);
  return true;
}

type Handler = (comment: AttachedComment, text: string) => boolean;

/** The first handler that places the comment wins; none placing it means Prettier's default. */
function firstOf(...handlers: Handler[]): Handler {
  return (comment, text) => handlers.some((handle) => handle(comment, text));
}

/** First, whatever the placement: a comment inside `[ … ]` must not move before the `[`. */
const anywhere: Handler[] = [handleInsideSubscript];
/** Comments by a body, an aggregator, a separator or an arrow: the same in every placement. */
const byNeighbours: Handler[] = [handleBeforeBody, handleBeforeAggregator, handleBeforeSeparator, handleBetweenSteps];

export const handleComments = {
  ownLine: firstOf(...anywhere, ...byNeighbours, handleListEnd, handleInsideExpression),
  endOfLine: firstOf(...anywhere, handleBraceLine, ...byNeighbours),
  remaining: firstOf(...anywhere, handleBraceLine, ...byNeighbours),
};
