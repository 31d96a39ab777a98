/**
 * Property tests: random ASTs print to text that parses back to the same tree
 * (the printer adds the parentheses precedence needs), and comments sprinkled
 * anywhere between tokens keep both formatting laws.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { format, type Plugin } from "prettier";
import { describe, expect, it } from "vitest";
import type { Program } from "../../grammar/ast.js";
import { parse } from "../../grammar/parse.js";
import { figsLexer } from "../../grammar/tokens.js";
import { figsPlugin } from "../../grammar/prettier/index.js";
import type { FigsNode } from "../../grammar/prettier/nodes.js";
import { astFormat } from "../../grammar/prettier/parser.js";
import { programArbitrary } from "./arbitraries.js";
import { expectLaws, fmt, parseOrFail, shapeOf } from "./helpers.js";

/** The plugin with one more parser that reads an AST as JSON: a way to print trees the parser never built. */
const astPlugin: Plugin<FigsNode> = {
  ...figsPlugin,
  parsers: { "figs-ast-json": { parse: (text) => JSON.parse(text) as FigsNode, astFormat, locStart: () => 0, locEnd: () => 0 } },
};

async function printAst(program: Program): Promise<string> {
  return format(JSON.stringify(program), { parser: "figs-ast-json", plugins: [astPlugin] });
}

/** A tree without the parentheses that only group (those the printer may add). */
function withoutGroupingParens(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutGroupingParens);
  if (value === null || typeof value !== "object") return value;
  const node = value as { kind?: string; expression?: { steps: { expression: unknown; fixed: boolean; label?: unknown }[] } };
  const only = node.kind === "Parenthesized" ? node.expression?.steps : undefined;
  if (only && only.length === 1 && !only[0]!.fixed && !only[0]!.label) return withoutGroupingParens(only[0]!.expression);
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, withoutGroupingParens(inner)]));
}

describe("printing random ASTs", () => {
  it("reads back as the same tree, and is already formatted", async () => {
    await fc.assert(
      fc.asyncProperty(programArbitrary, async (program) => {
        const printed = await printAst(program);
        const reparsed = parseOrFail(printed, "<printed>");
        expect(withoutGroupingParens(shapeOf(reparsed))).toEqual(withoutGroupingParens(shapeOf(program)));
        expect(await fmt(printed)).toBe(printed);
      }),
      { numRuns: 150 },
    );
  });

  it("adds no parentheses to a tree that needs none", async () => {
    const printed = await fmt("let x = a + b * c ** -d[1] - (e - f) and not g or h == i");
    expect(printed).toBe("let x = a + b * c ** -d[1] - (e - f) and not g or h == i\n");
  });
});

const fixtures = fileURLToPath(new URL("../fixtures/format/", import.meta.url));
const samples = readdirSync(fixtures).map((name) => readFileSync(join(fixtures, name, "input.figs"), "utf8"));

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

describe("comments anywhere", () => {
  it("keep the formatting laws", async () => {
    const sample = fc.integer({ min: 0, max: samples.length - 1 }).chain((index) => {
      const text = samples[index]!;
      const offsets = gaps(text);
      const place = fc.record({ at: fc.constantFrom(...offsets), block: fc.boolean() });
      return fc.array(place, { minLength: 1, maxLength: 4 }).map((places) => withComments(text, places));
    });
    await fc.assert(
      fc.asyncProperty(sample, async (text) => {
        // A line comment between a name and `(` or `[` splits the line, and with it the call or subscript.
        fc.pre(parse(text).ast !== undefined);
        await expectLaws(text, "<commented>");
      }),
      { numRuns: 150 },
    );
  });
});
