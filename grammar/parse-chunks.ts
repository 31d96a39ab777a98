/**
 * Parses a token stream one top-level item at a time. A new item starts at
 * every `import`, `let`, `op`, `block`, `cell` or `space` outside all
 * brackets, which is where the grammar's top level would resynchronise
 * anyway. Each item's CST is turned into AST at once and dropped, so memory
 * stays proportional to the AST rather than to the (much larger) CST of the
 * whole file, and an error in one item never hides the items after it.
 */
import { EOF, type CstNode, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import type { TopLevelItem } from "./ast.js";
import { type AstBuilder, ExpressionTooDeep, MAX_EXPRESSION_DEPTH } from "./build-ast.js";
import type { BracketIndex } from "./brackets.js";
import type { FigsParser } from "./parser.js";
import * as T from "./tokens.js";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic } from "../diagnostics/diagnostic.js";

const ITEM_STARTS: ReadonlySet<TokenType> = new Set([T.Import, T.Let, T.Op, T.Block, T.Cell, T.Space]);

export interface ChunkedParse {
  /** The items of the file; complete only when there are no exceptions and no diagnostics. */
  readonly items: TopLevelItem[];
  readonly exceptions: IRecognitionException[];
  /** The AST builder's checks (duplicate parameters, a < b < c, too deep …) on every item that parsed. */
  readonly diagnostics: Diagnostic[];
}

export function parseInChunks(
  text: string,
  tokens: readonly IToken[],
  brackets: BracketIndex,
  parser: FigsParser,
  builder: AstBuilder,
): ChunkedParse {
  const result: ChunkedParse = { items: [], exceptions: [], diagnostics: [] };
  const starts = chunkStarts(tokens, brackets);
  for (let k = 0; k < starts.length; k++) {
    const end = starts[k + 1] ?? tokens.length;
    parser.setInput(tokens.slice(starts[k], end), text);
    const cst = parser.program();
    const exceptions = parser.errors.map((e) => atNextChunk(e, tokens, end));
    result.exceptions.push(...exceptions);
    const errorOffsets = exceptions.map((e) => e.token.startOffset);
    for (const item of (cst.children["topLevelItem"] ?? []) as CstNode[]) {
      if (exceptions.length === 0 || isIntact(item, errorOffsets)) buildItem(item, builder, result);
    }
  }
  result.diagnostics.push(...builder.diagnostics);
  return result;
}

/** Token indexes where chunks start: 0, then every item keyword outside brackets. */
function chunkStarts(tokens: readonly IToken[], brackets: BracketIndex): number[] {
  const starts = [0];
  for (let i = 1; i < tokens.length; i++) {
    if (brackets.innermostOpen[i] === -1 && ITEM_STARTS.has(tokens[i]!.tokenType)) starts.push(i);
  }
  return starts;
}

/** The end of a chunk is not the end of the file: report the token that follows it instead. */
function atNextChunk(exception: IRecognitionException, tokens: readonly IToken[], end: number): IRecognitionException {
  const next = tokens[end];
  if (exception.token.tokenType !== EOF || !next) return exception;
  return {
    name: exception.name,
    message: exception.message,
    token: next,
    resyncedTokens: exception.resyncedTokens,
    context: exception.context,
  };
}

function buildItem(item: CstNode, builder: AstBuilder, result: ChunkedParse): void {
  try {
    result.items.push(builder.topLevelItem(item.children));
  } catch (cause) {
    if (!(cause instanceof ExpressionTooDeep)) throw cause;
    const message = `this expression nests more than ${MAX_EXPRESSION_DEPTH} operators deep; split it with 'let'`;
    result.diagnostics.push(error(codeOf("ExpressionTooLong"), message, cause.range));
  }
}

/**
 * An item untouched by recovery: no error inside it and no node that
 * recovery patched. Only such items get the builder's checks when the file
 * has syntax errors, since a patched CST may miss children.
 */
function isIntact(node: CstNode, errorOffsets: readonly number[]): boolean {
  const start = node.location?.startOffset ?? Number.NaN;
  const end = node.location?.endOffset ?? Number.NaN;
  if (Number.isNaN(start) || Number.isNaN(end)) return false;
  return !errorOffsets.some((offset) => offset >= start && offset <= end + 1) && !hasRecoveredNode(node);
}

function hasRecoveredNode(node: CstNode): boolean {
  if (node.recoveredNode) return true;
  return Object.values(node.children).some((children) =>
    children.some((child) => "children" in child && hasRecoveredNode(child)),
  );
}
