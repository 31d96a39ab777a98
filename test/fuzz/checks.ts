/**
 * Invariants every parse and format result must satisfy, whatever the input:
 * ranges inside the text with line and column matching the offset, an AST
 * exactly when there are no errors, messages in the user's words, no
 * internal error (FIGS9999: a caught exception, a bug in figs), and a
 * formatter that formats whatever parses without changing its meaning, and
 * whose output is a fixed point. Each check returns problems (empty when all
 * is well); `inputProblems` runs them all on one input.
 */
import type { Program } from "../../grammar/ast.js";
import type { ParseResult } from "../../grammar/parse.js";
import type { FormatResult } from "../../grammar/prettier/format.js";
import { FigsParser } from "../../grammar/parser.js";
import { allTokens } from "../../grammar/tokens.js";
import { codeOf } from "../../diagnostics/codes.js";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Position, SourceRange } from "../../diagnostics/source.js";

/** Line and column of an offset, computed independently of SourceFile. */
export function expectedPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function positionProblem(text: string, position: Position, what: string): string | undefined {
  if (!(position.offset >= 0 && position.offset <= text.length))
    return `${what} offset ${position.offset} outside 0..${text.length}`;
  const expected = expectedPosition(text, position.offset);
  if (expected.line !== position.line || expected.column !== position.column) {
    const says = `${position.line}:${position.column}`;
    return `${what} at offset ${position.offset} says ${says}, expected ${expected.line}:${expected.column}`;
  }
  return undefined;
}

export function rangeProblem(text: string, range: SourceRange, what: string): string | undefined {
  if (range.start.offset > range.end.offset)
    return `${what} starts after it ends (${range.start.offset} > ${range.end.offset})`;
  return positionProblem(text, range.start, `${what} start`) ?? positionProblem(text, range.end, `${what} end`);
}

export function diagnosticProblems(result: ParseResult): string[] {
  const text = result.source.text;
  const problems: string[] = [];
  for (const d of result.diagnostics) {
    const ranges = [...(d.range ? [d.range] : []), ...d.notes.flatMap((n) => (n.range ? [n.range] : []))];
    for (const range of ranges) {
      const problem = rangeProblem(text, range, `diagnostic ${d.code} '${d.message}'`);
      if (problem) problems.push(problem);
    }
  }
  const hasError = result.diagnostics.some((d) => d.severity === "error");
  if (!hasError && !result.ast) problems.push("no errors but no AST");
  if (hasError && result.ast) problems.push("errors but an AST");
  return problems;
}

function isRange(value: unknown): value is SourceRange {
  return typeof value === "object" && value !== null && "start" in value && "end" in value && "file" in value;
}

/** Every node range of the AST, walked without recursion. */
export function astRangeProblems(result: ParseResult): string[] {
  const problems: string[] = [];
  const stack: unknown[] = [result.ast];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== "object" || value === null) continue;
    if (isRange(value)) {
      const problem = rangeProblem(result.source.text, value, "AST node");
      if (problem) problems.push(problem);
      continue;
    }
    stack.push(...Object.values(value));
  }
  return problems;
}

/**
 * The grammar's own words: every token type name (RParen, Identifier, EOF …),
 * every rule name that cannot pass for English (callOrName, topLevelItem …)
 * and Chevrotain's exception names. Single-word rules (body, chain) are
 * ordinary words, so they are left out.
 */
const ruleNames = Object.keys(new FigsParser().getGAstProductions()).filter((name) => /[A-Z]/.test(name));
const exceptionNames = [
  "MismatchedTokenException",
  "NoViableAltException",
  "EarlyExitException",
  "NotAllInputParsedException",
];
export const GRAMMAR_WORDS = new RegExp(
  `\\b(${[...allTokens.map((t) => t.name), "EOF", ...ruleNames, ...exceptionNames].join("|")})\\b`,
);

/**
 * Messages and notes that name a token type or grammar rule; quoted source text ('RParen' as a user's name) is fine.
 */
export function messageProblems(diagnostics: readonly Diagnostic[]): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    for (const message of [d.message, ...d.notes.map((n) => n.message)]) {
      const word = message.replace(/'[^']*'/g, "''").match(GRAMMAR_WORDS)?.[0];
      if (word) problems.push(`${d.code} names the grammar's '${word}': ${message}`);
    }
  }
  return problems;
}

/** A FIGS9999 is an exception that the stage caught: a bug, whatever the input. */
export function internalErrorProblems(diagnostics: readonly Diagnostic[], stage: string): string[] {
  return diagnostics
    .filter((d) => d.code === codeOf("InternalError"))
    .map((d) => `internal error from the ${stage}: ${d.message}`);
}

export interface FuzzTools {
  parse(text: string, path: string): ParseResult;
  format(text: string, path: string): Promise<FormatResult>;
}

export interface InputReport {
  readonly problems: string[];
  /** The input parsed without errors (and so went through the printer). */
  readonly parsed: boolean;
}

/** Parses and formats one input and checks both results. Never throws: an exception is a problem too. */
export async function inputProblems(text: string, path: string, tools: FuzzTools): Promise<InputReport> {
  let parsed: ParseResult;
  try {
    parsed = tools.parse(text, path);
  } catch (cause) {
    return { problems: [`parse threw: ${String(cause)}`], parsed: false };
  }
  const problems = [
    ...internalErrorProblems(parsed.diagnostics, "parser"),
    ...diagnosticProblems(parsed),
    ...(parsed.ast ? astRangeProblems(parsed) : []),
    ...messageProblems(parsed.diagnostics),
  ];
  try {
    const formatted = await tools.format(text, path);
    problems.push(...formatProblems(parsed, formatted, tools));
    if (formatted.ok && problems.length === 0)
      problems.push(...(await idempotenceProblems(formatted.formatted, path, tools)));
  } catch (cause) {
    problems.push(`formatFigs threw: ${String(cause)}`);
  }
  return { problems, parsed: parsed.ast !== undefined };
}

/**
 * The formatter formats exactly what parses, into text that parses to the
 * same AST (ranges aside) with the same comments, and otherwise returns the
 * parser's diagnostics.
 */
export function formatProblems(
  parsed: ParseResult,
  formatted: FormatResult,
  tools: Pick<FuzzTools, "parse">,
): string[] {
  if (!formatted.ok) {
    const problems = internalErrorProblems(formatted.diagnostics, "formatter");
    if (parsed.ast)
      problems.push(
        `the formatter failed on text that parses: ${formatted.diagnostics[0]?.message ?? "no diagnostics"}`,
      );
    else if (JSON.stringify(formatted.diagnostics) !== JSON.stringify(parsed.diagnostics))
      problems.push("the formatter's diagnostics differ from the parser's");
    return problems;
  }
  if (!parsed.ast) return ["the formatter formatted text that does not parse"];
  const again = tools.parse(formatted.formatted, `${parsed.source.path} (formatted)`);
  const shown = `\n--- formatted ---\n${formatted.formatted.slice(0, 600)}`;
  if (!again.ast) return [`the formatted text does not parse: ${again.diagnostics[0]?.message ?? ""}${shown}`];
  if (withoutRanges(again.ast) !== withoutRanges(parsed.ast)) return [`formatting changed the AST${shown}`];
  if (commentTexts(again.ast) !== commentTexts(parsed.ast)) return [`formatting lost or changed comments${shown}`];
  return [];
}

/** Formatting formatted text changes nothing: fmt(fmt(x)) == fmt(x). */
export async function idempotenceProblems(
  formatted: string,
  path: string,
  tools: Pick<FuzzTools, "format">,
): Promise<string[]> {
  const again = await tools.format(formatted, path);
  if (!again.ok) return [`the formatter refused its own output: ${again.diagnostics[0]?.message ?? ""}`];
  if (again.formatted === formatted) return [];
  return [
    `formatting is not idempotent\n--- formatted once ---\n${formatted.slice(0, 600)}\n` +
      `--- formatted twice ---\n${again.formatted.slice(0, 600)}`,
  ];
}

function withoutRanges(ast: Program): string {
  return JSON.stringify(ast, (key, value: unknown) => (key === "range" || key === "comments" ? undefined : value));
}

/** The comments in order, with whitespace runs collapsed: the formatter may re-indent a block comment's lines. */
function commentTexts(ast: Program): string {
  return JSON.stringify(ast.comments.map((c) => c.text.replace(/\s+/g, " ").trim()));
}
