/**
 * Printing comments. The plugin prints every comment itself (the printer's
 * `willPrintOwnComments` is always true) because where a comment may go
 * depends on the node's place: a statement's own-line trailing comment stays
 * on its own line, while inside an expression a comment must end up at a line
 * end that formatting again attaches to the same place.
 */
import { doc, util, type Doc } from "prettier";
import { danglingComments, leadingComments, locEnd, locStart, trailingComments, type AttachedComment, type FigsNode } from "./nodes.js";

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

/** Comments that each sit on a line of their own (inside an empty body or list). */
export function printOwnLineComments(comments: readonly AttachedComment[]): Doc {
  return join(hardline, comments.map(commentDoc));
}

/** True when a line comment is printed after the node (so its line must end there). */
export function hasTrailingLineComment(node: FigsNode): boolean {
  return [...trailingComments(node), ...danglingComments(node)].some((comment) => !comment.block);
}
