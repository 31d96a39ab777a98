/**
 * text → AST. Never throws: lexing, nesting, parsing and AST errors all come
 * back as diagnostics; the AST is returned only when there are none.
 */
import type { ILexingError, IToken } from "chevrotain";
import type { Comment, Program } from "./ast.js";
import { AstBuilder, ExpressionTooDeep, MAX_EXPRESSION_DEPTH } from "./build-ast.js";
import { indexBrackets, MAX_NESTING } from "./brackets.js";
import { FigsParser } from "./parser.js";
import { factRecordingProvider, syntaxDiagnostic } from "./syntax-errors.js";
import { figsLexer, UnterminatedComment, UnterminatedString } from "./tokens.js";
import { codeOf } from "../diagnostics/codes.js";
import { error, sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";
import { SourceFile } from "../diagnostics/source.js";

export interface ParseResult {
  readonly source: SourceFile;
  readonly ast?: Program;
  readonly diagnostics: readonly Diagnostic[];
}

/** One run reports at most this many syntax errors; after that, one more says so. */
export const MAX_SYNTAX_ERRORS = 100;

let parser: FigsParser | undefined;

export function parse(text: string, path = "<input>"): ParseResult {
  const source = new SourceFile(path, text);
  try {
    return { source, ...parseSource(source) };
  } catch (cause) {
    const message = `internal error in the parser (${cause instanceof Error ? cause.message : String(cause)}); please report it`;
    return { source, diagnostics: [error(codeOf("InternalError"), message, source.rangeAt(0, 0))] };
  }
}

function parseSource(source: SourceFile): { ast?: Program; diagnostics: Diagnostic[] } {
  const nul = source.text.indexOf("\u0000");
  if (nul >= 0) {
    const message = `this file holds binary data (a NUL byte at offset ${nul}), not .figs text`;
    return { diagnostics: [error(codeOf("BinaryInput"), message, source.rangeAt(nul, nul + 1))] };
  }
  const lexed = figsLexer.tokenize(source.text);
  const lexDiagnostics = [...lexed.errors.map((e) => lexingDiagnostic(e, source)), ...errorTokenDiagnostics(lexed.groups["errors"] ?? [], source)];
  const tokens = lexed.tokens;
  const brackets = indexBrackets(tokens);
  if (brackets.tooDeep) {
    const range = source.rangeAt(brackets.tooDeep.startOffset, brackets.tooDeep.startOffset + 1);
    const message = `brackets and bodies are nested more than ${MAX_NESTING} deep here; split the expression with 'let' or the body into definitions`;
    return { diagnostics: capped([...lexDiagnostics, error(codeOf("NestingTooDeep"), message, range)], source) };
  }
  parser ??= new FigsParser(factRecordingProvider);
  parser.input = tokens;
  const cst = parser.program();
  const parseDiagnostics = parser.errors.map((e) => syntaxDiagnostic(e, { source, tokens, brackets }));
  const diagnostics = [...lexDiagnostics, ...parseDiagnostics];
  if (diagnostics.length > 0) return { diagnostics: capped(diagnostics, source) };
  return buildAst(cst.children, cst, source, comments(lexed.groups["comments"] ?? [], source));
}

function buildAst(children: Parameters<AstBuilder["program"]>[0], cst: Parameters<AstBuilder["program"]>[1], source: SourceFile, fileComments: Comment[]) {
  const builder = new AstBuilder(source);
  try {
    const ast = builder.program(children, cst, fileComments);
    if (builder.diagnostics.length > 0) return { diagnostics: capped(builder.diagnostics, source) };
    return { ast, diagnostics: [] };
  } catch (cause) {
    if (!(cause instanceof ExpressionTooDeep)) throw cause;
    const message = `this expression nests more than ${MAX_EXPRESSION_DEPTH} operators deep; split it with 'let'`;
    return { diagnostics: [error(codeOf("ExpressionTooLong"), message, cause.range)] };
  }
}

function capped(diagnostics: Diagnostic[], source: SourceFile): Diagnostic[] {
  const sorted = sortDiagnostics(diagnostics);
  if (sorted.length <= MAX_SYNTAX_ERRORS) return sorted;
  const shown = sorted.slice(0, MAX_SYNTAX_ERRORS);
  const last = shown[shown.length - 1]!;
  const message = `${sorted.length - MAX_SYNTAX_ERRORS} more syntax errors after this point are not shown`;
  return [...shown, { ...error(last.code, message, last.range), severity: "note" }];
}

function lexingDiagnostic(lexError: ILexingError, source: SourceFile): Diagnostic {
  const text = source.text.slice(lexError.offset, lexError.offset + lexError.length);
  const shown = [...text.slice(0, 16)].map(showCharacter).join("");
  const message = lexError.length === 1 ? `unexpected character ${shown}` : `unexpected characters ${shown}${text.length > 16 ? "…" : ""}`;
  return error(codeOf("UnexpectedCharacter"), message, source.rangeAt(lexError.offset, lexError.offset + lexError.length));
}

function showCharacter(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x20 || code === 0x7f || code === 0xfffd) return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
  return `'${c}'`;
}

function errorTokenDiagnostics(errorTokens: IToken[], source: SourceFile): Diagnostic[] {
  return errorTokens.map((token) => {
    if (token.tokenType === UnterminatedComment) {
      return error(codeOf("UnterminatedComment"), "this block comment is never closed: add '*/'", source.rangeAt(token.startOffset, token.startOffset + 2));
    }
    const kind = token.tokenType === UnterminatedString ? "UnterminatedString" : "UnexpectedCharacter";
    return error(codeOf(kind), "this string is never closed: add '\"' before the end of the line", source.rangeAt(token.startOffset, token.startOffset + token.image.length));
  });
}

function comments(tokens: IToken[], source: SourceFile): Comment[] {
  return tokens.map((token) => ({
    kind: "Comment",
    text: token.image,
    block: token.image.startsWith("/*"),
    range: source.rangeAt(token.startOffset, token.startOffset + token.image.length),
  }));
}
