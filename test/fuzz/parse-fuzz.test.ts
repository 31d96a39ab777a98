/**
 * Seeded parser fuzzing over the repository's own .figs files (globbed at
 * test time, so new spaces, stdlib files, examples and fixtures join in):
 * mutated, truncated and spliced inputs must never make `parse` throw, every
 * range must lie inside the text with consistent line/column, and an input
 * without errors must have an AST. Inputs that parse also go through the
 * formatter when grammar/prettier/format.ts exists.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, type ParseResult } from "../../grammar/parse.js";
import { decodeSource } from "../../grammar/read-source.js";
import { seededRandom } from "../../bench/parse/generate-source.js";
import { REPO_ROOT } from "../grammar/fixtures.js";
import { astRangeProblems, diagnosticProblems } from "./checks.js";
import { mutate } from "./mutate.js";

const SEED = 0x5eed_f165;
const INPUTS = 5_000;
/** Formatting is much slower than parsing: only this many parsed inputs are formatted. */
const FORMATTED_INPUTS = 300;
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", "dist", "out", "runs"]);
/** Large generated files would dominate the run without finding more. */
const MAX_CORPUS_FILE_BYTES = 64 * 1024;

function findFigsFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...findFigsFiles(full));
    else if (entry.isFile() && entry.name.endsWith(".figs") && statSync(full).size <= MAX_CORPUS_FILE_BYTES) found.push(full);
  }
  return found.sort();
}

interface CorpusFile {
  readonly path: string;
  readonly text: string;
}

function loadCorpus(): CorpusFile[] {
  return findFigsFiles(REPO_ROOT).map((file) => ({ path: path.relative(REPO_ROOT, file), text: decodeSource(readFileSync(file), file).text }));
}

type FormatResult = { ok: true; formatted: string } | { ok: false; diagnostics: readonly unknown[] };
type FormatFigs = (text: string, path: string) => Promise<FormatResult>;

const FORMATTER = path.join(REPO_ROOT, "grammar/prettier/format.ts");

/** The formatter, if its author has landed it; undefined otherwise. */
async function loadFormatter(): Promise<FormatFigs | undefined> {
  if (!existsSync(FORMATTER)) return undefined;
  const module: unknown = await import(pathToFileURL(FORMATTER).href);
  const candidate = (module as { formatFigs?: unknown }).formatFigs;
  return typeof candidate === "function" ? (candidate as FormatFigs) : undefined;
}

interface Failure {
  readonly input: number;
  readonly problem: string;
  readonly text: string;
}

function parseChecked(text: string, input: number, failures: Failure[]): ParseResult | undefined {
  try {
    const result = parse(text, `fuzz-${input}.figs`);
    const problems = [...diagnosticProblems(result), ...(result.ast ? astRangeProblems(result) : [])];
    for (const problem of problems.slice(0, 3)) failures.push({ input, problem, text });
    return result;
  } catch (cause) {
    failures.push({ input, problem: `parse threw: ${String(cause)}`, text });
    return undefined;
  }
}

async function formatChecked(format: FormatFigs, text: string, input: number, failures: Failure[]): Promise<void> {
  try {
    const result = await format(text, `fuzz-${input}.figs`);
    if (result.ok && typeof result.formatted !== "string") failures.push({ input, problem: "formatter returned ok without text", text });
    // A formatter must not turn text that parses into text that does not.
    if (result.ok) {
      const again = parse(result.formatted, `fuzz-${input}-formatted.figs`);
      if (!again.ast) failures.push({ input, problem: `formatted text does not parse: ${again.diagnostics[0]?.message ?? ""}\n--- formatted ---\n${result.formatted.slice(0, 600)}`, text });
    }
    if (!result.ok && !Array.isArray(result.diagnostics)) failures.push({ input, problem: "formatter failed without diagnostics", text });
  } catch (cause) {
    failures.push({ input, problem: `formatFigs threw: ${String(cause)}`, text });
  }
}

function describeFailures(failures: readonly Failure[]): string {
  return failures
    .slice(0, 5)
    .map((f) => `input #${f.input} (seed ${SEED}): ${f.problem}\n--- input ---\n${f.text.slice(0, 600)}\n-------------`)
    .join("\n");
}

describe("parser fuzzing", () => {
  it(`survives ${INPUTS} mutated inputs (seed ${SEED})`, async () => {
    console.log(`parse fuzz: seed ${SEED}, ${INPUTS} inputs`);
    const corpus = loadCorpus();
    expect(corpus.length).toBeGreaterThan(10);
    const format = await loadFormatter();
    console.log(`parse fuzz: ${corpus.length} corpus files; formatter ${format ? "found" : "not present (grammar/prettier/format.ts)"}`);
    const random = seededRandom(SEED);
    const failures: Failure[] = [];
    let parsedCleanly = 0;
    let formatted = 0;
    for (let input = 0; input < INPUTS; input++) {
      const base = corpus[Math.floor(random() * corpus.length)]!;
      const other = corpus[Math.floor(random() * corpus.length)]!;
      const text = mutate(random, base.text, other.text);
      const result = parseChecked(text, input, failures);
      if (!result?.ast) continue;
      parsedCleanly++;
      if (format && formatted < FORMATTED_INPUTS) {
        formatted++;
        await formatChecked(format, text, input, failures);
      }
    }
    console.log(`parse fuzz: ${parsedCleanly} inputs parsed without errors, ${formatted} formatted, ${failures.length} failures`);
    expect(failures, describeFailures(failures)).toEqual([]);
    expect(parsedCleanly).toBeGreaterThan(0);
  });
});
