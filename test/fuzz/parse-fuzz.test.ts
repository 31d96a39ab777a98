/**
 * Seeded fuzzing of the parser and the formatter over the repository's own
 * .figs files (globbed at test time, so new spaces, stdlib files, examples
 * and fixtures join in). Every mutated, truncated or spliced input is parsed
 * and formatted, and fails the test on: an exception, an internal error
 * (FIGS9999, which is how parse and formatFigs report a caught exception), a
 * range outside the text or with the wrong line/column, an AST with errors
 * or none without, a message naming the grammar's token types or rules, a
 * formatter that refuses text that parses, formatted text that does not
 * parse to the same AST and comments, or formatted text that formats
 * differently again (fmt(fmt(x)) != fmt(x)). The checks themselves are tested in
 * checks.test.ts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../grammar/parse.js";
import { formatFigs } from "../../grammar/prettier/format.js";
import { decodeSource } from "../../grammar/read-source.js";
import { seededRandom } from "../../bench/parse/generate-source.js";
import { REPO_ROOT } from "../grammar/fixtures.js";
import { inputProblems, type FuzzTools } from "./checks.js";
import { mutate, mutateGently } from "./mutate.js";

/** FIGS_FUZZ_SEED and FIGS_FUZZ_INPUTS explore beyond the fixed CI run; a failure prints the seed to replay. */
const SEED = Number(process.env.FIGS_FUZZ_SEED ?? 0x5eed_f165);
const INPUTS = Math.max(5_000, Number(process.env.FIGS_FUZZ_INPUTS ?? 0));
/** FIGS_FUZZ_PRINT_WIDTH formats at another line length (narrow widths break more lines). */
const PRINT_WIDTH = process.env.FIGS_FUZZ_PRINT_WIDTH ? Number(process.env.FIGS_FUZZ_PRINT_WIDTH) : undefined;
/** This share of the inputs gets only gentle edits of a valid file, so that thousands parse and go through the printer. */
const GENTLE_SHARE = 0.5;
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

function loadCorpus(): string[] {
  return findFigsFiles(REPO_ROOT).map((file) => decodeSource(readFileSync(file), file).text);
}

interface Failure {
  readonly input: number;
  readonly problem: string;
  readonly text: string;
}

function describeFailures(failures: readonly Failure[]): string {
  return failures
    .slice(0, 5)
    .map((f) => `input #${f.input} (seed ${SEED}): ${f.problem}\n--- input ---\n${f.text.slice(0, 600)}\n-------------`)
    .join("\n");
}

function pick(random: () => number, texts: readonly string[]): string {
  return texts[Math.floor(random() * texts.length)]!;
}

const tools: FuzzTools = { parse, format: (text, file) => formatFigs(text, file, PRINT_WIDTH === undefined ? {} : { printWidth: PRINT_WIDTH }) };

describe("parser and formatter fuzzing", () => {
  it(`survives ${INPUTS} mutated inputs (seed ${SEED})`, async () => {
    const corpus = loadCorpus();
    const valid = corpus.filter((text) => parse(text).ast !== undefined);
    expect(valid.length).toBeGreaterThan(10);
    const random = seededRandom(SEED);
    const failures: Failure[] = [];
    let parsedCleanly = 0;
    for (let input = 0; input < INPUTS; input++) {
      const text = random() < GENTLE_SHARE ? mutateGently(random, pick(random, valid)) : mutate(random, pick(random, corpus), pick(random, corpus));
      const report = await inputProblems(text, `fuzz-${input}.figs`, tools);
      if (report.parsed) parsedCleanly++;
      for (const problem of report.problems.slice(0, 3)) failures.push({ input, problem, text });
    }
    console.log(`fuzz: seed ${SEED}, print width ${PRINT_WIDTH ?? "default"}, ${corpus.length} corpus files (${valid.length} valid), ${INPUTS} inputs parsed and formatted, ${parsedCleanly} without errors (printed), ${failures.length} failures`);
    expect(failures, describeFailures(failures)).toEqual([]);
    expect(parsedCleanly).toBeGreaterThan(INPUTS / 2);
  });
});
