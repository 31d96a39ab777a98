/**
 * Every ```figs block of the documentation is a complete .figs file that must
 * parse without a diagnostic, so the docs cannot drift from the grammar.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "../../cli/commands/index.js";
import { OP_KINDS } from "../../compiler/graph.js";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { parse } from "../../grammar/parse.js";
import { extractFigsBlocks } from "./extract-blocks.js";

const root = join(import.meta.dirname, "..", "..");
const docsFolder = join(root, "docs");
const documents = [
  join(root, "README.md"),
  ...readdirSync(docsFolder)
    .filter((f) => f.endsWith(".md"))
    .map((f) => join(docsFolder, f)),
];
const examplesFolder = join(root, "examples");
const examples = readdirSync(examplesFolder).filter((f) => f.endsWith(".figs"));

function expectParses(text: string, path: string): void {
  const result = parse(text, path);
  expect(renderDiagnostics(result.diagnostics, () => result.source)).toBe("");
  expect(result.ast).toBeDefined();
}

describe.each(documents.map((path) => ({ path, name: relative(root, path) })))(
  "```figs blocks of $name",
  ({ path, name }) => {
    const blocks = extractFigsBlocks(readFileSync(path, "utf8"));
    it.each(blocks.map((block) => ({ ...block, name })))(
      "the block at line $line parses",
      ({ text, line, name: document }) => {
        expectParses(text, `${document}:${line}`);
      },
    );
    it("has only closed fences", () => {
      expect(blocks.filter((b) => !b.closed).map((b) => b.line)).toEqual([]);
    });
  },
);

describe("docs/language.md", () => {
  const reference = readFileSync(join(docsFolder, "language.md"), "utf8");

  it("has an example for every section", () => {
    expect(extractFigsBlocks(reference).length).toBeGreaterThanOrEqual(16);
  });

  it("documents every primitive of the graph", () => {
    const missing = OP_KINDS.filter((op) => !reference.includes(`\`${op}`));
    expect(missing).toEqual([]);
  });
});

describe("README.md", () => {
  it("mentions every command of the figs command line", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(commands.map((c) => c.name).filter((name) => !readme.includes(`figs ${name}`))).toEqual([]);
  });
});

describe("examples/", () => {
  it("holds the three examples", () => {
    expect(examples).toEqual(expect.arrayContaining(["mbconv.figs", "one_shot_cell.figs", "resnet_bottleneck.figs"]));
  });

  it.each(examples)("%s parses", (file) => {
    expectParses(readFileSync(join(examplesFolder, file), "utf8"), `examples/${file}`);
  });
});

describe("extractFigsBlocks", () => {
  it("finds figs blocks with their lines, skips other languages, and flags an unclosed fence", () => {
    const markdown = [
      "# Title",
      "```figs",
      "let A = 1",
      "```",
      "```sh",
      "figs check",
      "```",
      "~~~figs",
      "let B = (",
      "~~~",
      "```figs",
      "let C = 3",
    ].join("\n");
    expect(extractFigsBlocks(markdown)).toEqual([
      { line: 2, text: "let A = 1\n", closed: true },
      { line: 8, text: "let B = (\n", closed: true },
      { line: 11, text: "let C = 3\n", closed: false },
    ]);
  });

  it("a block with a syntax error would be caught", () => {
    const [block] = extractFigsBlocks("```figs\nop broken( {\n```\n");
    expect(parse(block?.text ?? "", "doc.md:1").diagnostics.length).toBeGreaterThan(0);
  });
});
