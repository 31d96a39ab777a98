/**
 * One seeded run of the parser and formatter fuzzer, shared by the test
 * (parse-fuzz.test.ts, a fixed seed) and `npm run fuzz` (fresh seeds). The
 * corpus is the repository's own .figs files, globbed when the run starts, so
 * new spaces, stdlib files, examples and fixtures join in; a seed replays
 * the same inputs as long as the corpus is the same.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parse } from "../../grammar/parse.js";
import { formatFigs } from "../../grammar/prettier/format.js";
import { decodeSource } from "../../grammar/read-source.js";
import { seededRandom } from "../../compiler/sample/random.js";
import { REPO_ROOT } from "../grammar/fixtures.js";
import { inputProblems, type FuzzTools } from "./checks.js";
import { mutate, mutateGently, type Random } from "./mutate.js";

/** This share of the inputs gets only gentle edits of a valid file, so that thousands parse and reach the printer. */
const GENTLE_SHARE = 0.5;
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", "dist", "out", "runs"]);
/** Large generated files would dominate the run without finding more. */
const MAX_CORPUS_FILE_BYTES = 64 * 1024;

export interface Corpus {
  readonly all: readonly string[];
  /** The files that parse: the ones gentle edits start from. */
  readonly valid: readonly string[];
}

function findFigsFiles(folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) found.push(...findFigsFiles(full));
    else if (entry.isFile() && entry.name.endsWith(".figs") && statSync(full).size <= MAX_CORPUS_FILE_BYTES) {
      found.push(full);
    }
  }
  // Sorted: the directory order differs between machines, and a seed must pick the same files everywhere.
  return found.sort();
}

export function loadCorpus(): Corpus {
  const all = findFigsFiles(REPO_ROOT).map((file) => decodeSource(readFileSync(file), file).text);
  return { all, valid: all.filter((text) => parse(text).ast !== undefined) };
}

export function fuzzTools(printWidth?: number): FuzzTools {
  return { parse, format: (text, file) => formatFigs(text, file, printWidth === undefined ? {} : { printWidth }) };
}

export interface FuzzParameters {
  readonly seed: number;
  readonly inputs: number;
  /** Inputs before this one are generated (the random stream must advance) but not checked: replays one input fast. */
  readonly from?: number;
  readonly printWidth?: number;
}

export interface Failure {
  readonly input: number;
  readonly problem: string;
  readonly text: string;
}

export interface FuzzOutcome {
  readonly failures: readonly Failure[];
  /** Inputs checked, and how many of them parsed without errors (and so went through the printer). */
  readonly checked: number;
  readonly parsedCleanly: number;
}

function pick(random: Random, texts: readonly string[]): string {
  return texts[Math.floor(random() * texts.length)]!;
}

/** The input number `input` of the stream: a gentle edit of a valid file, or any mutation or splice. */
function nextInput(random: Random, corpus: Corpus): string {
  if (random() < GENTLE_SHARE) return mutateGently(random, pick(random, corpus.valid));
  return mutate(random, pick(random, corpus.all), pick(random, corpus.all));
}

/** Parses and formats `inputs` mutated inputs from `seed`, collecting up to three problems per input. */
export async function fuzz(corpus: Corpus, parameters: FuzzParameters): Promise<FuzzOutcome> {
  const random = seededRandom(parameters.seed);
  const tools = fuzzTools(parameters.printWidth);
  const failures: Failure[] = [];
  let checked = 0;
  let parsedCleanly = 0;
  for (let input = 0; input < parameters.inputs; input++) {
    const text = nextInput(random, corpus);
    if (input < (parameters.from ?? 0)) continue;
    const report = await inputProblems(text, `fuzz-${input}.figs`, tools);
    checked++;
    if (report.parsed) parsedCleanly++;
    for (const problem of report.problems.slice(0, 3)) failures.push({ input, problem, text });
  }
  return { failures, checked, parsedCleanly };
}

export function describeFailures(failures: readonly Failure[], seed: number): string {
  return failures
    .slice(0, 5)
    .map((f) => `input #${f.input} (seed ${seed}): ${f.problem}\n--- input ---\n${f.text.slice(0, 600)}\n-------------`)
    .join("\n");
}

/** The kind of a problem (its words before any detail), so a smaller input can be asked to fail the same way. */
export function problemKind(problem: string): string {
  return problem.split("\n")[0]!.split(":")[0]!;
}

/** Whether `text` still shows a problem of `kind`: the test a minimizer shrinks a failing input by. */
export async function stillFailsWith(kind: string, text: string, printWidth?: number): Promise<boolean> {
  const report = await inputProblems(text, "fuzz-minimized.figs", fuzzTools(printWidth));
  return report.problems.some((problem) => problemKind(problem) === kind);
}
