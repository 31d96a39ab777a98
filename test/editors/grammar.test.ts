/**
 * The editors' TextMate grammar of .figs (editors/vscode/syntaxes). It is
 * generated from the language's tables (scripts/editor-grammar.ts) and must be
 * current; the syntax tests in editors/vscode/test and one generated here from
 * the lexer's and the compiler's tables run with vscode-tmgrammar-test.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EDITOR_GRAMMAR_FILE, KEYWORD_SCOPES, editorGrammarText, vocabulary } from "../../scripts/editor-grammar.js";
import { keywords } from "../../grammar/tokens.js";
import { OP_KINDS } from "../../compiler/graph.js";
import { PRIMITIVES } from "../../compiler/elaborate/primitives.js";
import { BUILTINS } from "../../compiler/elaborate/builtins.js";
import { compile } from "../../compiler/index.js";
import { codeOf } from "../../diagnostics/codes.js";

const REPO_ROOT = path.resolve(import.meta.dirname, "../..");
const EXTENSION = path.join(REPO_ROOT, "editors/vscode");
const SYNTAX_TESTS = path.join(EXTENSION, "test");
const scratch = mkdtempSync(path.join(tmpdir(), "figs-tmgrammar-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The tool's script, run with this Node: the .bin shims differ between platforms. */
function toolScript(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("vscode-tmgrammar-test/package.json");
  const { bin } = require(manifest) as { bin: Record<string, string> };
  return path.join(path.dirname(manifest), bin["vscode-tmgrammar-test"]!);
}

/** Runs the syntax tests `*.figs` of a folder against the grammar the extension's package.json names. */
function runSyntaxTests(folder: string): { status: number | null; output: string } {
  const args = [toolScript(), "--config", path.join(EXTENSION, "package.json"), "*.figs"];
  const run = spawnSync(process.execPath, args, { cwd: folder, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

function syntaxTestFiles(): string[] {
  return readdirSync(SYNTAX_TESTS)
    .filter((name) => name.endsWith(".figs"))
    .sort();
}

/** A syntax test with one line per keyword, primitive, built-in and type, each asserting its scope. */
function everyWordSyntaxTest(): string {
  const lines = ['# SYNTAX TEST "source.figs" "every word of the language"'];
  const atStart = (line: string, word: string, scope: string) =>
    lines.push(line, `# <${"-".repeat(word.length)} ${scope}`);
  for (const token of keywords) {
    const word = (token.PATTERN as RegExp).source;
    atStart(`${word} {}`, word, KEYWORD_SCOPES[word] ?? `(no scope for the keyword '${word}')`);
  }
  const primitives = new Set<string>([...OP_KINDS, ...Object.keys(PRIMITIVES)]);
  for (const op of primitives) atStart(`${op}(1)`, op, "support.function.primitive.figs");
  for (const name of Object.keys(BUILTINS).filter((n) => !primitives.has(n)))
    atStart(`${name}(1)`, name, "support.function.builtin.figs");
  for (const type of vocabulary().types) {
    const line = `op t(x: ${type}) {}`;
    lines.push(line, `#${" ".repeat(line.indexOf(": ") + 1)}${"^".repeat(type.length)} support.type.builtin.figs`);
  }
  return `${lines.join("\n")}\n`;
}

describe("the .figs TextMate grammar", () => {
  it("is the one generated from the language's tables (run `npm run gen:editor-grammar` if this fails)", () => {
    expect(readFileSync(path.join(REPO_ROOT, EDITOR_GRAMMAR_FILE), "utf8")).toBe(editorGrammarText());
  });

  it("gives every keyword, primitive, built-in and type its scope", () => {
    const folder = mkdtempSync(path.join(scratch, "words-"));
    writeFileSync(path.join(folder, "words.figs"), everyWordSyntaxTest());
    const run = runSyntaxTests(folder);
    expect(run.status, run.output).toBe(0);
  });

  it("highlights as types exactly names the compiler accepts as parameter types", () => {
    const unknownType = codeOf("UnknownType");
    const typeErrors = (type: string) =>
      compile({
        path: "types.figs",
        text: `op probe(x: ${type}) {\n  identity\n}\n`,
        library: true,
      }).diagnostics.filter((d) => d.code === unknownType);
    expect(typeErrors("not_a_type")).toHaveLength(1);
    for (const type of vocabulary().types) expect(typeErrors(type), type).toEqual([]);
  });

  it("passes the syntax tests in editors/vscode/test", () => {
    expect(syntaxTestFiles().length).toBeGreaterThan(0);
    const run = runSyntaxTests(SYNTAX_TESTS);
    expect(run.status, run.output).toBe(0);
  });
});

describe("the syntax tests in editors/vscode/test", () => {
  // The tool compares scopes by equality (`- comment` would exclude nothing) and
  // its assertion pattern takes a single '-': with two it backtracks for minutes.
  it("name whole .figs scopes, with at most one '-' per assertion", () => {
    for (const name of syntaxTestFiles()) {
      const assertions = readFileSync(path.join(SYNTAX_TESTS, name), "utf8")
        .split("\n")
        .filter((line) => /^#\s*(\^|<~*-)/.test(line));
      for (const line of assertions) {
        const words = line
          .replace(/^#\s*(\^+|<~*-+)/, "")
          .trim()
          .split(/\s+/);
        expect(words.filter((word) => word === "-").length, `${name}: ${line}`).toBeLessThanOrEqual(1);
        expect(
          words.filter((word) => word !== "-" && !word.endsWith(".figs")),
          `${name}: ${line}`,
        ).toEqual([]);
      }
    }
  });

  // test/compiler/pipeline compiles every tracked .figs file, these included.
  it("are .figs files that compile without errors", () => {
    for (const name of syntaxTestFiles()) {
      const result = compile({ path: path.join(SYNTAX_TESTS, name), library: true });
      expect(
        result.diagnostics.filter((d) => d.severity === "error").map((d) => d.message),
        name,
      ).toEqual([]);
    }
  });
});
