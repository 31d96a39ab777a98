/**
 * text → AST. Never throws: lexing, nesting, parsing and AST errors all come
 * back as diagnostics; the AST is returned only when there are none.
 *
 * Steps: lex (tokens.ts, lexing-errors.ts) → bracket index and the nesting
 * guard (brackets.ts) → parse and build one top-level item at a time
 * (parse-chunks.ts, parser.ts, build-ast.ts) → phrase the parse errors
 * (syntax-errors.ts) → sort and cap the diagnostics.
 */
import type { IToken } from "chevrotain";
import type { Comment, Program } from "./ast.js";
import { AstBuilder } from "./build-ast.js";
import { parseInChunks } from "./parse-chunks.js";
import { indexBrackets, MAX_NESTING } from "./brackets.js";
import { FigsParser } from "./parser.js";
import { factRecordingProvider, syntaxDiagnostics } from "./syntax-errors.js";
import { lexingDiagnostics } from "./lexing-errors.js";
import { figsLexer, Identifier } from "./tokens.js";
import { codeOf } from "../diagnostics/codes.js";
import { error, fileError, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";

export interface ParseResult {
  readonly source: SourceFile;
  readonly ast?: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** One run reports at most this many syntax errors; after that, one more says so. */
export const MAX_SYNTAX_ERRORS = 100;

/**
 * The longest name: every node records the names of the definitions it sits
 * in, so a 100,000-character name applied 100,000 times would be gigabytes of
 * node names, cost rows and IR (FIGS4008).
 */
export const MAX_NAME_LENGTH = 128;

/** Built on the first parse, not at import; without the grammar checks, which the tests run. */
let parser: FigsParser | undefined;

export function parse(text: string, path = "<input>"): ParseResult {
  const source = new SourceFile(path, text);
  try {
    return { source, ...parseSource(source) };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const message = `internal error in the parser (${reason}); please report it`;
    return { source, diagnostics: [fileError(codeOf("InternalError"), message, source.path)] };
  }
}

function parseSource(source: SourceFile): { ast?: Program; diagnostics: Diagnostic[] } {
  const nul = source.text.indexOf("\u0000");
  if (nul >= 0) {
    const message = `this file holds binary data (a NUL byte at offset ${nul}), not .figs text`;
    return { diagnostics: [error(codeOf("BinaryInput"), message, source.rangeAt(nul, nul + 1))] };
  }
  const lexed = figsLexer.tokenize(source.text);
  const tokens = lexed.tokens;
  const lexDiagnostics = [...lexingDiagnostics(lexed, source), ...longNames(tokens, source)];
  const brackets = indexBrackets(tokens);
  if (brackets.tooDeep) {
    const range = source.rangeAt(brackets.tooDeep.startOffset, brackets.tooDeep.startOffset + 1);
    const message =
      `brackets and bodies are nested more than ${MAX_NESTING} deep here; ` +
      "split the expression with 'let' or the body into definitions";
    return { diagnostics: capped([...lexDiagnostics, error(codeOf("NestingTooDeep"), message, range)]) };
  }
  parser ??= new FigsParser(factRecordingProvider, { skipValidations: true });
  const builder = new AstBuilder(source);
  const parsed = parseInChunks(source.text, tokens, brackets, parser, builder);
  const parseDiagnostics = syntaxDiagnostics(parsed.exceptions, { source, tokens, brackets }, lexDiagnostics);
  const diagnostics = [...lexDiagnostics, ...parseDiagnostics, ...parsed.diagnostics];
  if (diagnostics.length > 0) return { diagnostics: capped(diagnostics) };
  return { ast: builder.programOf(parsed.items, comments(lexed.groups["comments"] ?? [], source)), diagnostics: [] };
}

function longNames(tokens: readonly IToken[], source: SourceFile): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const token of tokens) {
    if (token.tokenType !== Identifier || token.image.length <= MAX_NAME_LENGTH) continue;
    const message =
      `this name has ${token.image.length} characters, more than the ${MAX_NAME_LENGTH} a name may have ` +
      "(the name-length limit); shorten it";
    found.push(
      error(codeOf("NameTooLong"), message, source.rangeAt(token.startOffset, token.startOffset + token.image.length)),
    );
  }
  return found;
}

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.length <= MAX_SYNTAX_ERRORS) return sorted;
  const shown = sorted.slice(0, MAX_SYNTAX_ERRORS);
  const firstHidden = sorted[MAX_SYNTAX_ERRORS]!;
  const message = `${sorted.length - MAX_SYNTAX_ERRORS} more syntax errors from here on are not shown`;
  return [...shown, { ...firstHidden, message, notes: [], severity: "note" }];
}

function comments(tokens: IToken[], source: SourceFile): Comment[] {
  return tokens.map((token) => ({
    kind: "Comment",
    text: token.image,
    block: token.image.startsWith("/*"),
    range: source.rangeAt(token.startOffset, token.startOffset + token.image.length),
  }));
}
