/**
 * Printing comments. The plugin prints every comment itself (the printer's
 * `willPrintOwnComments` is always true) because where a comment may go
 * depends on the node's place: a statement's own-line trailing comment stays
 * on its own line, while inside an expression a comment must end up at a line
 * end that formatting again attaches to the same place.
 */
import { doc, util, type Doc } from "prettier";
import { danglingComments, leadingComments, locEnd, locStart, trailingComments } from "./nodes.js";
import type { AttachedComment, FigsNode, NodeKind } from "./nodes.js";

const { breakParent, hardline, join, lineSuffix } = doc.builders;

/** What a node's comments need to know about where the node sits. */
export interface CommentPlace {
  readonly originalText: string;
  /** The node is a statement or a top-level item (its line is its own). */
  readonly statementLevel: boolean;
  /** The node is one of a one-per-line sequence (statements, parameters, arguments, elements, steps). */
  readonly listLevel: boolean;
}

/** The comment's text; block comments keep their inner lines as written. */
export function commentDoc(comment: AttachedComment): Doc {
  comment.printed = true;
  if (!comment.block) return comment.text.trimEnd();
  return doc.utils.replaceEndOfLine(comment.text);
}

function isNextLineBlank(text: string, offset: number): boolean {
  const next = util.skipNewline(text, util.skipSpaces(text, offset));
  return next !== false && util.hasNewline(text, next);
}

export function printLeadingComments(node: FigsNode, place: CommentPlace): Doc[] {
  const text = place.originalText;
  return leadingComments(node).map((comment) => {
    const parts: Doc[] = [commentDoc(comment)];
    if (!comment.block) parts.push(hardline);
    else parts.push(place.listLevel && util.hasNewline(text, locEnd(comment)) ? hardline : " ");
    if (place.statementLevel && isNextLineBlank(text, locEnd(comment))) parts.push(hardline);
    return parts;
  });
}

/**
 * Comments after a node: its trailing ones, and dangling ones its printer did
 * not place (printed as if trailing). A line comment ends its line, so any
 * comment after it goes on a line of its own — never onto the same line, where
 * it would become part of the first comment's text.
 */
export function printTrailingComments(node: FigsNode, place: CommentPlace): Doc[] {
  const text = place.originalText;
  const dangling = danglingComments(node).filter((comment) => !comment.printed);
  const comments = [...dangling, ...trailingComments(node)].sort((a, b) => locStart(a) - locStart(b));
  // What the last comment left pending at the line's end: comments after one stay after it.
  let pending: "nothing" | "block" | "line" = "nothing";
  return comments.map((comment) => {
    const printed = commentDoc(comment);
    const ownLine = comment.trailing === true && util.hasNewline(text, locStart(comment), { backwards: true });
    const before = pending;
    if (before === "line" || (place.listLevel && ownLine)) {
      pending = comment.block ? "block" : "line";
      const blankBefore = place.statementLevel && util.isPreviousLineEmpty(text, locStart(comment));
      return lineSuffix([hardline, blankBefore ? hardline : "", printed]);
    }
    if (!comment.block) {
      pending = "line";
      return [lineSuffix([" ", printed]), breakParent];
    }
    return before === "block" ? lineSuffix([" ", printed]) : [" ", printed];
  });
}

/**
 * Comments before a closing bracket, after the last thing inside: on its line
 * up to the first line comment, then each on a line of its own (a comment
 * after a line comment on the same line would become part of its text).
 */
export function printCommentsBeforeClose(comments: readonly AttachedComment[]): Doc[] {
  let afterLineComment = false;
  return comments.map((comment) => {
    const printed = commentDoc(comment);
    const onLine = comment.block ? [" ", printed] : [lineSuffix([" ", printed]), breakParent];
    const placed = afterLineComment ? [hardline, printed] : onLine;
    if (!comment.block) afterLineComment = true;
    return placed;
  });
}

/** Comments that each sit on a line of their own (inside an empty body or list). */
export function printOwnLineComments(comments: readonly AttachedComment[]): Doc {
  return join(hardline, comments.map(commentDoc));
}

/**
 * Kinds whose printers print their dangling comments inside their braces or
 * brackets (`{ # note }`, `f( # note )`), so none of them ends the line after the node.
 */
const printsOwnDanglingComments: ReadonlySet<NodeKind> = new Set<NodeKind>([
  "Program",
  "Body",
  "Call",
  "List",
  "Index",
  "Slice",
]);

/**
 * True when a line comment is printed after the node (so its line must end
 * there). Asked before the node is printed, so whether a dangling comment
 * goes inside cannot be read from `printed`; it depends on the node's kind.
 */
export function hasTrailingLineComment(node: FigsNode): boolean {
  const dangling = printsOwnDanglingComments.has(node.kind) ? [] : danglingComments(node);
  return [...trailingComments(node), ...dangling].some((comment) => !comment.block);
}
