/**
 * The formatting laws as plain functions, without vitest: the property tests
 * and `npm run fuzz` (a script outside the test runner) check the same laws.
 *   fmt(fmt(x)) == fmt(x)   and   parse(fmt(x)) == parse(x)
 * (ASTs compared without ranges; comments compared by text and order).
 */
import { isDeepStrictEqual } from "node:util";
import type { Program } from "../../grammar/ast.js";
import { parse } from "../../grammar/parse.js";
import { formatFigs } from "../../grammar/prettier/format.js";

/** Formats `text`, throwing on diagnostics. */
export async function fmt(text: string, printWidth?: number): Promise<string> {
  const result = await formatFigs(text, "<test>", printWidth === undefined ? undefined : { printWidth });
  if (result.ok) return result.formatted;
  throw new Error(`expected the text to format, got: ${result.diagnostics.map((d) => d.message).join("; ")}`);
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

/** The texts involved, shown whole: a formatting bug is usually a matter of one line break. */
function shown(label: string, text: string): string {
  return `\n--- ${label} ---\n${text}${text.endsWith("\n") ? "" : "\n"}---`;
}

/** Which formatting law `text` breaks, with the texts that show it; undefined when it keeps both. */
export async function lawViolation(text: string, path: string, printWidth?: number): Promise<string | undefined> {
  const before = parseOrFail(text, path);
  const once = await fmt(text, printWidth);
  const twice = await fmt(once, printWidth);
  const input = shown("input", text);
  const formatted = `${input}${shown("formatted", once)}`;
  if (twice !== once) return `${path}: formatting twice changes the text${formatted}${shown("formatted twice", twice)}`;
  const after = parseOrFail(once, `${path} (formatted)`);
  if (!isDeepStrictEqual(shapeOf(after), shapeOf(before))) return `${path}: formatting changes the AST${formatted}`;
  const comments = isDeepStrictEqual(commentTexts(after), commentTexts(before));
  if (!comments) return `${path}: formatting loses or reorders comments${formatted}`;
  return undefined;
}

/** Throws when `text` breaks a formatting law: the form a fast-check predicate fails in. */
export async function assertLaws(text: string, path: string, printWidth?: number): Promise<void> {
  const violation = await lawViolation(text, path, printWidth);
  if (violation) throw new Error(violation);
}
