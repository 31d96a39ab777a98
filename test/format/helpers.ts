/** Shared helpers of the formatter tests: formatting, and comparing ASTs without their ranges. */
import { expect } from "vitest";
import { commentTexts, fmt, parseOrFail, shapeOf } from "./law-checks.js";

export { commentTexts, fmt, parseOrFail, shapeOf };

export async function expectFormatted(input: string, output: string, printWidth?: number): Promise<void> {
  expect(await fmt(input, printWidth)).toBe(output);
}

/** The two formatting laws (see law-checks.ts), with vitest's diffs when one breaks. */
export async function expectLaws(text: string, path: string, printWidth?: number): Promise<void> {
  const before = parseOrFail(text, path);
  const once = await fmt(text, printWidth);
  const twice = await fmt(once, printWidth);
  expect(twice, `${path}: formatting twice changes the text`).toBe(once);
  const after = parseOrFail(once, `${path} (formatted)`);
  expect(shapeOf(after), `${path}: formatting changes the AST`).toEqual(shapeOf(before));
  expect(commentTexts(after), `${path}: formatting loses or reorders comments`).toEqual(commentTexts(before));
}
