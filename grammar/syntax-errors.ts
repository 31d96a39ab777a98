/**
 * Turns Chevrotain's parse errors into diagnostics in the user's words:
 * "expected ')' to close the argument list opened at 3:14, found 'bn'".
 * The message provider only records structured facts (as JSON); this module
 * phrases them, because only here are the token stream and brackets known.
 * Token type names (RParen, Identifier, EOF) never reach a message.
 */
import {
  EOF,
  tokenLabel,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  type TokenType,
} from "chevrotain";
import { codeOf } from "../diagnostics/codes.js";
import { error, type Diagnostic, type RelatedNote } from "../diagnostics/diagnostic.js";
import type { Position, SourceFile, SourceRange } from "../diagnostics/source.js";
import { isCloser, tokenIndexAt, unclosedOpener, type BracketIndex } from "./brackets.js";
import { expectationPhrase, keywordRole, ruleSuffix, TYPE_EXPECTED, VALUE_RULES } from "./syntax-phrases.js";
import * as T from "./tokens.js";

type Fact =
  | { kind: "mismatch"; expected: string; rule: string }
  | { kind: "noViableAlt"; expected: string[]; rule: string }
  | { kind: "notAllInput"; rule: string };

/** Token types by name, to turn recorded facts back into token types. */
const tokenTypeByName = new Map(T.allTokens.map((t) => [t.name, t]));
const keywordTypes = new Set<TokenType>(T.keywords);

export const factRecordingProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, ruleName }) =>
    JSON.stringify({ kind: "mismatch", expected: expected.name, rule: ruleName }),
  buildNotAllInputParsedMessage: ({ ruleName }) => JSON.stringify({ kind: "notAllInput", rule: ruleName }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt, ruleName }) =>
    JSON.stringify({ kind: "noViableAlt", expected: firstTokens(expectedPathsPerAlt.flat()), rule: ruleName }),
  buildEarlyExitMessage: ({ expectedIterationPaths, ruleName }) =>
    JSON.stringify({ kind: "noViableAlt", expected: firstTokens(expectedIterationPaths), rule: ruleName }),
};

function firstTokens(paths: TokenType[][]): string[] {
  return [...new Set(paths.map((path) => path[0]?.name).filter((n): n is string => n !== undefined))];
}

/** What a bracket opens, by the rule that expected its closer. */
const bracketContexts: Record<string, string> = {
  callOrName: "the argument list",
  definition: "the parameter list",
  parameterList: "the parameter list",
  parenthesized: "the parentheses",
  listLiteral: "the list",
  subscript: "the index",
  typeReference: "the type argument",
  body: "the body",
};

const SLASH_SLASH_HINT = " (comments start with '#' in figs: '//' is floor division)";

/** Comma-separated lists: a token that is not a closer there is most likely a missing ','. */
const LIST_RULES: ReadonlySet<string> = new Set(["callOrName", "listLiteral", "parameterList", "definition"]);

export interface SyntaxErrorContext {
  readonly source: SourceFile;
  readonly tokens: readonly IToken[];
  readonly brackets: BracketIndex;
}

/** Where an error happened: the offending token, its range, and the token before it. */
interface ErrorSite {
  readonly token: IToken;
  /** Index of the token in the stream (the stream's length at the end of the file). */
  readonly tokenIndex: number;
  readonly atEnd: boolean;
  readonly range: SourceRange;
  readonly found: string;
  readonly previous?: IToken;
  readonly context: SyntaxErrorContext;
}

/** A phrased error, where it happened, and what recovery may make of it. */
interface PhrasedError {
  readonly diagnostic: Diagnostic;
  /** The error only exists because recovery invented an opener. */
  readonly orphanCloser: boolean;
  /** The mistake is at the end of the line before the token found: a bracket on that line is never closed. */
  readonly endsLineBefore: boolean;
  readonly site: ErrorSite;
}

/**
 * All parse errors of one run, phrased. Recovery reports follow-on errors (a
 * second complaint about the same line or at the very next token, a '}'
 * expected for a '{' that recovery pretended to insert, a complaint right
 * after text the lexer already rejected); those are dropped so each mistake
 * is reported once.
 */
export function syntaxDiagnostics(
  exceptions: readonly IRecognitionException[],
  context: SyntaxErrorContext,
  lexingErrors: readonly Diagnostic[] = [],
): Diagnostic[] {
  const result: Diagnostic[] = [];
  const lexingOffsets = lexingErrors
    .flatMap((d) => (d.range ? [d.range.start] : []))
    .sort((a, b) => a.offset - b.offset);
  let last: { line: number; tokenIndex: number } | undefined;
  for (const exception of exceptions) {
    const phrased = phrase(exception, context);
    const { site } = phrased;
    const line = mistakeLine(phrased);
    if (last && (line === last.line || site.tokenIndex - last.tokenIndex <= 1)) continue;
    if ((phrased.orphanCloser && result.length > 0) || followsLexingError(site, lexingOffsets)) continue;
    result.push(phrased.diagnostic);
    last = { line, tokenIndex: site.tokenIndex };
  }
  return result;
}

/**
 * The line a mistake is on, for telling new mistakes from echoes. A missing
 * closer is reported at the token that came instead; when that token starts
 * a line and the bracket is never closed anywhere (`let x = [1, 2`, then a
 * new line), the mistake is at the end of the line before, and errors on the
 * token's own line are new mistakes. (A bracket closed further on is a list
 * that continues over lines: recovery closed it too early, and what follows
 * on that line may be its echo.)
 */
function mistakeLine({ site, endsLineBefore }: PhrasedError): number {
  const line = site.range.start.line;
  if (!endsLineBefore || !site.previous) return line;
  return Math.min(line, site.context.source.positionAt(site.previous.startOffset).line);
}

/**
 * True when the lexer rejected something just before this error (since the
 * previous token, or earlier on the same line): the error is its echo. Only
 * the last lexing error before the error token can qualify, so a binary
 * search over them (sorted by offset) decides.
 */
function followsLexingError(site: ErrorSite, lexingErrors: readonly Position[]): boolean {
  const from = site.previous?.startOffset ?? 0;
  const to = site.atEnd ? Number.POSITIVE_INFINITY : site.token.startOffset;
  let lo = 0;
  let hi = lexingErrors.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lexingErrors[mid]!.offset <= to) lo = mid + 1;
    else hi = mid;
  }
  const latest = lexingErrors[lo - 1];
  return latest !== undefined && (latest.offset >= from || latest.line === site.range.start.line);
}

function phrase(exception: IRecognitionException, context: SyntaxErrorContext): PhrasedError {
  const fact = JSON.parse(exception.message) as Fact;
  const site = errorSite(exception.token, context);
  return { ...phraseFact(fact, site), site };
}

type Phrased = Omit<PhrasedError, "site">;

function phraseFact(fact: Fact, site: ErrorSite): Phrased {
  switch (fact.kind) {
    case "mismatch":
      return mismatch(fact, site);
    case "notAllInput":
      return plain(error(codeOf("UnexpectedToken"), strayMessage(site), site.range));
    case "noViableAlt":
      return plain(noViableAlternative(fact, site));
  }
}

function plain(diagnostic: Diagnostic): Phrased {
  return { diagnostic, orphanCloser: false, endsLineBefore: false };
}

function errorSite(token: IToken, context: SyntaxErrorContext): ErrorSite {
  const atEnd = token.tokenType === EOF;
  const index = atEnd ? context.tokens.length : tokenIndexAt(context.tokens, token.startOffset);
  const previous = index > 0 ? context.tokens[index - 1] : undefined;
  const range = atEnd ? endRange(context) : rangeOf(token, context.source);
  return { token, tokenIndex: index, atEnd, range, found: describe(token), context, ...(previous && { previous }) };
}

function mismatch(fact: Extract<Fact, { kind: "mismatch" }>, site: ErrorSite): Phrased {
  const expected = tokenTypeByName.get(fact.expected);
  if (fact.expected === EOF.name) return plain(error(codeOf("UnexpectedToken"), strayMessage(site), site.range));
  if (expected && isCloser(expected)) return missingCloser(fact.rule, expected, site);
  if (expected === T.Aggregate) {
    return plain(
      error(
        codeOf("InvalidAggregator"),
        `expected 'aggregate sum' or 'aggregate concat' after the branches, found ${site.found}`,
        site.range,
      ),
    );
  }
  if (expected === T.Identifier && keywordTypes.has(site.token.tokenType)) return plain(keywordAsName(fact.rule, site));
  const label = expected ? tokenLabel(expected) : "something else";
  const wanted =
    expectationPhrase(fact.rule, fact.expected, site.previous) ?? `expected ${label}${ruleSuffix(fact.rule)}`;
  return plain(
    error(codeOf(site.atEnd ? "UnexpectedEndOfFile" : "UnexpectedToken"), `${wanted}, found ${site.found}`, site.range),
  );
}

function missingCloser(rule: string, closer: TokenType, site: ErrorSite): Phrased {
  const { context, token } = site;
  // An extra ')' or ']' inside a body is stray; inside a call or list it is more likely the wrong bracket.
  if (closer === T.RCurly && isCloser(token.tokenType) && !openerFor(token.tokenType, site)) {
    return plain(error(codeOf("UnexpectedToken"), strayMessage(site), site.range));
  }
  const opener = openerFor(closer, site);
  if (!opener) {
    const message = `expected ${tokenLabel(closer)}, found ${site.found}`;
    return {
      diagnostic: error(codeOf(site.atEnd ? "UnexpectedEndOfFile" : "UnexpectedToken"), message, site.range),
      orphanCloser: true,
      endsLineBefore: false,
    };
  }
  if (keywordTypes.has(token.tokenType) && LIST_RULES.has(rule) && opensList(site.previous)) {
    return plain(
      rule === "definition"
        ? keywordAsName("parameter", site)
        : expectedValue(site, ` after ${describe(site.previous!)}`),
    );
  }
  if (token.tokenType === T.Comma && LIST_RULES.has(rule))
    return plain(expectedValue(site, ` after ${describe(site.previous ?? token)}`));
  if (token.tokenType === T.SlashSlash && closer === T.RCurly) {
    return plain(error(codeOf("UnexpectedToken"), `unexpected '//'${SLASH_SLASH_HINT}`, site.range));
  }
  if (token.tokenType === T.Comma && closer === T.RCurly) {
    return plain(
      error(
        codeOf("UnexpectedToken"),
        "unexpected ',': statements are not separated by commas; put each on its own line or separate them with ';'",
        site.range,
      ),
    );
  }
  const what = bracketContexts[rule] ?? "the bracket";
  const where = rangeOf(opener, context.source);
  const comma = LIST_RULES.has(rule) && !site.atEnd && !isCloser(token.tokenType) ? "',' or " : "";
  const opened = `${where.start.line}:${where.start.column}`;
  const message = `expected ${comma}${tokenLabel(closer)} to close ${what} opened at ${opened}, found ${site.found}`;
  const note: RelatedNote = { message: `${tokenLabel(opener.tokenType)} opened here`, range: where };
  const diagnostic = error(codeOf("MissingClosingDelimiter"), message, site.range, [note]);
  // A body ends where a token cannot start a statement: that token is the mistake, not a '}' missing before it.
  const endsLineBefore = closer !== T.RCurly && neverClosed(opener, context);
  return { diagnostic, orphanCloser: false, endsLineBefore };
}

function openerFor(closer: TokenType, site: ErrorSite): IToken | undefined {
  const { context, token } = site;
  const at = site.atEnd ? context.tokens.length : tokenIndexAt(context.tokens, token.startOffset);
  return unclosedOpener(context.brackets, context.tokens, at, closer);
}

function neverClosed(opener: IToken, context: SyntaxErrorContext): boolean {
  return context.brackets.unclosed.has(tokenIndexAt(context.tokens, opener.startOffset));
}

function opensList(previous: IToken | undefined): boolean {
  return previous !== undefined && (previous.tokenType === T.LParen || previous.tokenType === T.Comma);
}

function keywordAsName(rule: string, site: ErrorSite): Diagnostic {
  const word = site.token.image;
  return error(
    codeOf("UnexpectedToken"),
    `'${word}' is a keyword and cannot be used as ${keywordRole(rule)}; choose another name`,
    site.range,
  );
}

/**
 * No alternative of a rule fits. Never in `topLevelItem` or `statement`: they
 * are entered only when the next token can start one of their alternatives,
 * so a stray token there is reported by the enclosing rule instead.
 */
function noViableAlternative(fact: Extract<Fact, { kind: "noViableAlt" }>, site: ErrorSite): Diagnostic {
  const after = site.previous ? ` after ${describe(site.previous)}` : "";
  if (site.previous?.tokenType === T.Aggregate) {
    return error(
      codeOf("InvalidAggregator"),
      `expected an aggregator after 'aggregate' ('sum', 'concat' or a parameter of type agg), found ${site.found}`,
      site.range,
    );
  }
  if (VALUE_RULES.has(fact.rule)) return expectedValue(site, after);
  if (fact.rule === "typeReference") {
    const code = codeOf(site.atEnd ? "UnexpectedEndOfFile" : "UnexpectedToken");
    return error(code, `${TYPE_EXPECTED}, found ${site.atEnd ? "the end of the file" : site.found}`, site.range);
  }
  if (site.previous?.tokenType === T.Else) {
    return error(
      codeOf(site.atEnd ? "UnexpectedEndOfFile" : "UnexpectedToken"),
      `expected '{' or 'if' after 'else', found ${site.found}`,
      site.range,
    );
  }
  if (site.atEnd)
    return error(
      codeOf("UnexpectedEndOfFile"),
      `the file ends${ruleSuffix(fact.rule)}: expected ${expectedList(fact.expected)}`,
      site.range,
    );
  return error(
    codeOf("UnexpectedToken"),
    `expected ${expectedList(fact.expected)}${after}, found ${site.found}`,
    site.range,
  );
}

function expectedValue(site: ErrorSite, after: string): Diagnostic {
  if (site.atEnd)
    return error(codeOf("UnexpectedEndOfFile"), `the file ends${after}, where a value was expected`, site.range);
  const sameLine =
    site.previous !== undefined &&
    site.range.start.line === site.context.source.positionAt(site.previous.startOffset).line;
  const keyword =
    keywordTypes.has(site.token.tokenType) && sameLine ? ` ('${site.token.image}' is a keyword, not a name)` : "";
  const message = `expected a value (a number, a name, a call, a list or '(')${after}, found ${site.found}${keyword}`;
  return error(codeOf("ExpectedExpression"), message, site.range);
}

function strayMessage(site: ErrorSite): string {
  if (isCloser(site.token.tokenType))
    return `unexpected ${site.found}: there is no '${openerText(site.token.tokenType)}' open for it to close`;
  const hint =
    site.token.tokenType === T.SlashSlash
      ? SLASH_SLASH_HINT
      : keywordTypes.has(site.token.tokenType) && site.token.tokenType !== T.Import
        ? " (statements belong inside a definition's body)"
        : "";
  return (
    "expected 'import', 'let' or a definition ('op', 'block', 'cell', 'space') at the top level, " +
    `found ${site.found}${hint}`
  );
}

function openerText(closer: TokenType): string {
  return closer === T.RParen ? "(" : closer === T.RBracket ? "[" : "{";
}

function expectedList(names: string[]): string {
  const labels = [
    ...new Set(
      names
        .map((n) => tokenTypeByName.get(n))
        .filter((t): t is TokenType => t !== undefined)
        .map((t) => tokenLabel(t)),
    ),
  ];
  if (labels.length === 0) return "something else";
  if (labels.length === 1) return labels[0]!;
  const shown = labels.slice(0, 6);
  const last = labels.length > 6 ? "…" : shown.pop()!;
  return `${shown.join(", ")} or ${last}`;
}

export function describe(token: IToken): string {
  if (token.tokenType === EOF) return "the end of the file";
  const image = token.image.length > 24 ? `${token.image.slice(0, 24)}…` : token.image;
  return `'${image.replace(/\r?\n/g, "\\n")}'`;
}

function rangeOf(token: IToken, source: SourceFile): SourceRange {
  return source.rangeAt(token.startOffset, token.startOffset + Math.max(1, token.image.length));
}

/** "The end of the file" is shown just after its last visible character. */
function endRange(context: SyntaxErrorContext): SourceRange {
  const end = context.source.text.trimEnd().length;
  return context.source.rangeAt(end, end);
}
