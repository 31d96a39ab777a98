/** Shared helpers of the formatter tests: formatting, and comparing ASTs without their ranges. */
import { expect } from "vitest";
import { formatFigs } from "../../grammar/prettier/format.js";
import { parse } from "../../grammar/parse.js";
import type { Program } from "../../grammar/ast.js";

/** Formats `text`, failing the test on diagnostics. */
export async function fmt(text: string, printWidth?: number): Promise<string> {
  const result = await formatFigs(text, "<test>", printWidth === undefined ? undefined : { printWidth });
  if (!result.ok) throw new Error(`expected the text to format, got: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.formatted;
}

export async function expectFormatted(input: string, output: string, printWidth?: number): Promise<void> {
  expect(await fmt(input, printWidth)).toBe(output);
}

/** The AST as plain data with every `range` (and the comment list) left out. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).filter(([key]) => key !== "range" && key !== "comments");
  return Object.fromEntries(entries.map(([key, inner]) => [key, shapeOf(inner)]));
}

export function parseOrFail(text: string, path = "<test>"): Program {
  const result = parse(text, path);
  if (!result.ast) throw new Error(`expected ${path} to parse: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  return result.ast;
}

/** Comment texts in order; line comments without trailing blanks (the printer trims lines). */
export function commentTexts(program: Program): string[] {
  return program.comments.map((comment) => (comment.block ? comment.text : comment.text.trimEnd()));
}

/** The two formatting laws: a fixed point, and the same AST and comments as the input. */
export async function expectLaws(text: string, path: string, printWidth?: number): Promise<void> {
  const before = parseOrFail(text, path);
  const once = await fmt(text, printWidth);
  const twice = await fmt(once, printWidth);
  expect(twice, `${path}: formatting twice changes the text`).toBe(once);
  const after = parseOrFail(once, `${path} (formatted)`);
  expect(shapeOf(after), `${path}: formatting changes the AST`).toEqual(shapeOf(before));
  expect(commentTexts(after), `${path}: formatting loses or reorders comments`).toEqual(commentTexts(before));
}
