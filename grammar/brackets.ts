/**
 * Bracket structure of a token stream, computed once: which opener encloses
 * each token (for "expected ')' to close the list opened at 3:14") and how deep
 * the nesting goes (a guard against stack overflow on adversarial input).
 */
import type { IToken, TokenType } from "chevrotain";
import { LBracket, LCurly, LParen, RBracket, RCurly, RParen } from "./tokens.js";

export const MAX_NESTING = 64;

const closerOf = new Map<TokenType, TokenType>([
  [LParen, RParen],
  [LBracket, RBracket],
  [LCurly, RCurly],
]);
const openerOf = new Map<TokenType, TokenType>([...closerOf].map(([open, close]) => [close, open]));

export interface BracketIndex {
  /**
   * For each token index: the index of the innermost opener still open before it, or -1 (for an opener: the one
   * enclosing it).
   */
  readonly innermostOpen: Int32Array;
  /** The innermost opener still open at the end of the file, or -1. */
  readonly openAtEnd: number;
  /** Token indexes of the openers that no closer of their kind ever closes. */
  readonly unclosed: ReadonlySet<number>;
  /** The first opener that exceeds MAX_NESTING, if any. */
  readonly tooDeep?: IToken;
}

/** Runs on every token of large files: token types are compared directly rather than looked up. */
export function indexBrackets(tokens: readonly IToken[]): BracketIndex {
  const innermostOpen = new Int32Array(tokens.length);
  const stack: number[] = [];
  const unclosed = new Set<number>();
  let tooDeep: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    innermostOpen[i] = stack.length ? stack[stack.length - 1]! : -1;
    const type = tokens[i]!.tokenType;
    if (type === LParen || type === LBracket || type === LCurly) {
      stack.push(i);
      if (stack.length > MAX_NESTING && !tooDeep) tooDeep = tokens[i];
    } else if (type === RParen || type === RBracket || type === RCurly) {
      popMatching(stack, tokens, openerOf.get(type)!, unclosed);
    }
  }
  const openAtEnd = stack.length ? stack[stack.length - 1]! : -1;
  for (const opener of stack) unclosed.add(opener);
  const base = { innermostOpen, openAtEnd, unclosed };
  return tooDeep ? { ...base, tooDeep } : base;
}

/**
 * Index of the token that starts at `offset` (tokens are sorted by offset),
 * or -1. A binary search rather than a map: a map of every token would cost
 * more memory than the tokens on large files.
 */
export function tokenIndexAt(tokens: readonly IToken[], offset: number): number {
  let lo = 0;
  let hi = tokens.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = tokens[mid]!.startOffset;
    if (start === offset) return mid;
    if (start < offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** A stray closer pops nothing; a closer that skips unclosed openers pops through them (and records them). */
function popMatching(stack: number[], tokens: readonly IToken[], opener: TokenType, unclosed: Set<number>): void {
  for (let depth = stack.length - 1; depth >= 0; depth--) {
    if (tokens[stack[depth]!]!.tokenType === opener) {
      for (let skipped = depth + 1; skipped < stack.length; skipped++) unclosed.add(stack[skipped]!);
      stack.length = depth;
      return;
    }
  }
}

/** The innermost opener of the kind that `closer` closes, still open at token index `at`. */
export function unclosedOpener(
  index: BracketIndex,
  tokens: readonly IToken[],
  at: number,
  closer: TokenType,
): IToken | undefined {
  const opener = openerOf.get(closer);
  if (!opener) return undefined;
  let current = at >= 0 && at < index.innermostOpen.length ? index.innermostOpen[at]! : index.openAtEnd;
  while (current >= 0) {
    const token = tokens[current]!;
    if (token.tokenType === opener) return token;
    current = index.innermostOpen[current]!;
  }
  return undefined;
}

export function isCloser(tokenType: TokenType): boolean {
  return openerOf.has(tokenType);
}
