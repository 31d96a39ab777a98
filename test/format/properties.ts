/**
 * The formatter's fast-check properties, shared by the test suite (fixed
 * seeds: `npm test` sees the same inputs on every run) and `npm run fuzz`
 * (fresh seeds, for as long as asked). No vitest here: a property fails by
 * throwing, with the texts that show the failure.
 *   round-trip: random ASTs print to text that parses back to the same tree
 *     (the printer adds the parentheses precedence needs) and is formatted;
 *   comments-anywhere: comments sprinkled between the tokens of the format
 *     fixtures keep both formatting laws.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { format, type Plugin } from "prettier";
import type { Program } from "../../grammar/ast.js";
import { parse } from "../../grammar/parse.js";
import { figsLexer } from "../../grammar/tokens.js";
import { figsPlugin } from "../../grammar/prettier/index.js";
import type { FigsNode } from "../../grammar/prettier/nodes.js";
import { astFormat } from "../../grammar/prettier/parser.js";
import { programArbitrary } from "./arbitraries.js";
import { assertLaws, fmt, lawViolation, parseOrFail, shapeOf } from "./law-checks.js";

/** The plugin with one more parser that reads an AST as JSON: a way to print trees the parser never built. */
const astPlugin: Plugin<FigsNode> = {
  ...figsPlugin,
  parsers: {
    "figs-ast-json": { parse: (text) => JSON.parse(text) as FigsNode, astFormat, locStart: () => 0, locEnd: () => 0 },
  },
};

export async function printAst(program: Program, printWidth?: number): Promise<string> {
  const width = printWidth === undefined ? {} : { printWidth };
  return format(JSON.stringify(program), { parser: "figs-ast-json", plugins: [astPlugin], ...width });
}

/** A tree without the parentheses that only group (those the printer may add). */
export function withoutGroupingParens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutGroupingParens);
  if (value === null || typeof value !== "object") return value;
  type Steps = { expression: unknown; fixed: boolean; label?: unknown }[];
  const node = value as { kind?: string; expression?: { steps: Steps } };
  const only = node.kind === "Parenthesized" ? node.expression?.steps : undefined;
  const grouping = only && only.length === 1 && !only[0]!.fixed && !only[0]!.label;
  if (grouping) return withoutGroupingParens(only[0]!.expression);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutGroupingParens(inner)]));
}

/** Prints `program` and throws unless the text reads back as the same tree and is already formatted. */
async function assertRoundTrip(program: Program, printWidth?: number): Promise<void> {
  const printed = await printAst(program, printWidth);
  const reparsed = parseOrFail(printed, "<printed>");
  const shown = `\n--- printed ---\n${printed}---`;
  if (!isDeepStrictEqual(withoutGroupingParens(shapeOf(reparsed)), withoutGroupingParens(shapeOf(program)))) {
    throw new Error(`the printed AST reads back as another tree${shown}`);
  }
  const formatted = await fmt(printed, printWidth);
  if (formatted !== printed) {
    throw new Error(`the printed AST is not formatted${shown}\n--- formatted ---\n${formatted}---`);
  }
}

export function roundTripProperty(printWidth?: number): fc.IAsyncProperty<[Program]> {
  return fc.asyncProperty(programArbitrary, (program) => assertRoundTrip(program, printWidth));
}

const fixtures = fileURLToPath(new URL("../fixtures/format/", import.meta.url));

/** The format goldens' inputs: every layout the formatter has a case for. */
function loadSamples(): string[] {
  return readdirSync(fixtures)
    .sort()
    .map((name) => readFileSync(join(fixtures, name, "input.figs"), "utf8"));
}

/** Offsets between tokens (and the two ends) where a comment can go without changing any token. */
function gaps(text: string): number[] {
  const tokens = figsLexer.tokenize(text).tokens;
  return [0, ...tokens.map((token) => token.startOffset + token.image.length), text.length];
}

function withComments(text: string, places: { at: number; block: boolean }[]): string {
  const sorted = [...places].sort((a, b) => b.at - a.at);
  let result = text;
  sorted.forEach(({ at, block }, index) => {
    const comment = block ? ` /* c${index} */ ` : ` # c${index}\n`;
    result = result.slice(0, at) + comment + result.slice(at);
  });
  return result;
}

/** A format fixture's input with one to four comments between its tokens. */
function commentedSample(samples: readonly string[]): fc.Arbitrary<string> {
  return fc.integer({ min: 0, max: samples.length - 1 }).chain((index) => {
    const text = samples[index]!;
    const place = fc.record({ at: fc.constantFrom(...gaps(text)), block: fc.boolean() });
    return fc.array(place, { minLength: 1, maxLength: 4 }).map((places) => withComments(text, places));
  });
}

/** Commented text that parses; a line comment between a name and `(` or `[` splits the call or subscript. */
export function parses(text: string): boolean {
  return parse(text).ast !== undefined;
}

export function commentsAnywhereProperty(printWidth?: number): fc.IAsyncProperty<[string]> {
  return fc.asyncProperty(commentedSample(loadSamples()), async (text) => {
    fc.pre(parses(text));
    await assertLaws(text, "<commented>", printWidth);
  });
}

/** What one run of a property found, with the counterexample as text a person can read. */
export type PropertyOutcome = { readonly failed: false; readonly numRuns: number } | PropertyFailure;

export interface PropertyFailure {
  readonly failed: true;
  readonly numRuns: number;
  /** The seed and path that replay the (shrunk) counterexample. */
  readonly seed: number;
  readonly path: string;
  readonly counterexample: string;
  readonly error: string;
}

export interface RunParameters {
  readonly seed: number;
  readonly numRuns: number;
  /** fast-check's replay path: straight to a known (shrunk) counterexample. */
  readonly path?: string;
  readonly printWidth?: number;
}

export interface FormatProperty {
  readonly name: string;
  /** The test suite's fixed seed and run count. */
  readonly seed: number;
  readonly numRuns: number;
  check(parameters: RunParameters): Promise<PropertyOutcome>;
  /** For text counterexamples: whether a (smaller) text still fails, so the fuzz script can shrink it further. */
  readonly stillFails?: (text: string, printWidth?: number) => Promise<boolean>;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** fast-check's `check` (which reports instead of throwing), its counterexample shown by `show`. */
async function checkWith<T>(
  property: fc.IAsyncProperty<[T]>,
  show: (value: T) => Promise<string>,
  p: RunParameters,
): Promise<PropertyOutcome> {
  const replay = p.path === undefined ? {} : { path: p.path };
  const details = await fc.check(property, { seed: p.seed, numRuns: p.numRuns, ...replay });
  if (!details.failed) return { failed: false, numRuns: details.numRuns };
  const value = details.counterexample?.[0];
  // No counterexample: fast-check gave up (too many rejected inputs), which is a failure of the property too.
  const counterexample = value === undefined ? "(none)" : await show(value);
  const cause = details.errorInstance;
  const error = cause === null ? "no counterexample (too many inputs skipped?)" : errorText(cause);
  const path = details.counterexamplePath ?? "";
  return { failed: true, numRuns: details.numRuns, seed: details.seed, path, counterexample, error };
}

/** A random AST as JSON (what replays it) and as the printer prints it (what a person reads). */
async function showProgram(program: Program, printWidth?: number): Promise<string> {
  return `${JSON.stringify(program)}\n--- printed ---\n${await printAst(program, printWidth)}`;
}

export const roundTrip: FormatProperty = {
  name: "round-trip",
  seed: 0x5eed_0001,
  numRuns: 150,
  check: (p) => checkWith(roundTripProperty(p.printWidth), (program) => showProgram(program, p.printWidth), p),
};

export const commentsAnywhere: FormatProperty = {
  name: "comments-anywhere",
  seed: 0x5eed_0002,
  numRuns: 150,
  check: (p) => checkWith(commentsAnywhereProperty(p.printWidth), async (text) => text, p),
  stillFails: async (text, printWidth) => {
    if (!parses(text)) return false;
    // A text the formatter throws on fails too.
    return (await lawViolation(text, "<commented>", printWidth).catch(errorText)) !== undefined;
  },
};

export const formatProperties: readonly FormatProperty[] = [roundTrip, commentsAnywhere];
