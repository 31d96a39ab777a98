/**
 * Invariants every parse result must satisfy, whatever the input: ranges
 * inside the text with line and column matching the offset, and an AST
 * exactly when there are no errors. Each check returns a problem or undefined.
 */
import type { ParseResult } from "../../grammar/parse.js";
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
  if (!(position.offset >= 0 && position.offset <= text.length)) return `${what} offset ${position.offset} outside 0..${text.length}`;
  const expected = expectedPosition(text, position.offset);
  if (expected.line !== position.line || expected.column !== position.column) {
    return `${what} at offset ${position.offset} says ${position.line}:${position.column}, expected ${expected.line}:${expected.column}`;
  }
  return undefined;
}

export function rangeProblem(text: string, range: SourceRange, what: string): string | undefined {
  if (range.start.offset > range.end.offset) return `${what} starts after it ends (${range.start.offset} > ${range.end.offset})`;
  return positionProblem(text, range.start, `${what} start`) ?? positionProblem(text, range.end, `${what} end`);
}

export function diagnosticProblems(result: ParseResult): string[] {
  const text = result.source.text;
  const problems: string[] = [];
  for (const d of result.diagnostics) {
    const ranges = [d.range, ...d.notes.flatMap((n) => (n.range ? [n.range] : []))];
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
