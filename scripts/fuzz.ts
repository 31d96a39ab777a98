/**
 * `npm run fuzz`: the formatter's property tests and the parser/formatter
 * mutation fuzzer, run again and again from fresh random seeds for as long as
 * asked. The test suite runs the same code from fixed seeds (so it never fails
 * at random); this is where new seeds get explored. The first failure is
 * shrunk, printed with its seed and the command that replays it, and exits 1.
 */
import { createHash, randomInt } from "node:crypto";
import { parseArgs } from "node:util";
import { formatProperties, type FormatProperty } from "../test/format/properties.js";
import { minimize } from "../test/fuzz/minimize.js";
import { fuzz, loadCorpus, problemKind, stillFailsWith, type Corpus } from "../test/fuzz/run.js";

const MUTATION = "mutation";
const MUTATION_TEST = "test/fuzz/parse-fuzz.test.ts";
const TARGETS = [...formatProperties.map((p) => p.name), MUTATION];

const HELP = `Usage: npm run fuzz -- [--seconds N] [--only TARGET] [--print-width N] [--inputs N]
       npm run fuzz -- --only TARGET --seed N [--path P | --input I]

Runs the formatter's properties and the parse/format mutation fuzzer from
fresh random seeds until the time is up. On the first failure prints the
seed, the counterexample shrunk to a minimum, and the command that replays
it, and exits 1; exits 0 when nothing failed. A seed replays the same inputs
only on the same files: the format fixtures and every .figs file in the tree.

Targets: ${TARGETS.join(", ")}

Options:
      --seconds N      how long to explore (default 60)
      --only TARGET    run one target instead of all in turn
      --print-width N  format at this line length (default: the formatter's)
      --inputs N       mutated inputs per ${MUTATION} round (default 1000)
      --seed N         replay: one round of each target from this seed, then stop
      --path P         with --seed: fast-check's path to a property's counterexample
      --input I        with --seed: only the ${MUTATION} input number I
  -h, --help           show this help and exit

Example:
  npm run fuzz -- --seconds 600
  npm run fuzz -- --only comments-anywhere --seed 1234 --path "12:3"   # a replay, as a failure prints it`;

interface Options {
  readonly seconds: number;
  readonly only?: string;
  readonly printWidth?: number;
  readonly inputs: number;
  readonly seed?: number;
  readonly path?: string;
  readonly input?: number;
}

/** A failure, ready to print. */
interface Report {
  readonly target: string;
  readonly seed: number;
  readonly problem: string;
  readonly counterexample: string;
  readonly minimized?: string;
  readonly replay: string[];
}

interface RoundResult {
  readonly inputs: number;
  readonly failure?: Report;
}

interface Target {
  readonly name: string;
  round(seed: number): Promise<RoundResult>;
}

function integerOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`--${name} needs an integer, got '${value}'`);
  return number;
}

const text = { type: "string" } as const;
const FLAGS = {
  ...{ seconds: text, only: text, "print-width": text, inputs: text, seed: text, path: text, input: text },
  help: { type: "boolean", short: "h" },
} as const;

function readOptions(argv: string[]): Options | "help" {
  const { values } = parseArgs({ args: argv, options: FLAGS });
  if (values.help) return "help";
  if (values.only !== undefined && !TARGETS.includes(values.only)) {
    throw new Error(`--only: no target '${values.only}' (${TARGETS.join(", ")})`);
  }
  if ((values.path !== undefined || values.input !== undefined) && values.seed === undefined) {
    throw new Error("--path and --input replay a --seed");
  }
  return {
    seconds: integerOption(values.seconds, "seconds") ?? 60,
    only: values.only,
    printWidth: integerOption(values["print-width"], "print-width"),
    inputs: integerOption(values.inputs, "inputs") ?? 1000,
    seed: integerOption(values.seed, "seed"),
    path: values.path,
    input: integerOption(values.input, "input"),
  };
}

/** The flags that every replay command repeats. */
function widthFlag(options: Options): string {
  return options.printWidth === undefined ? "" : ` --print-width ${options.printWidth}`;
}

function propertyTarget(property: FormatProperty, options: Options): Target {
  return {
    name: property.name,
    async round(seed) {
      const { path, printWidth } = options;
      const outcome = await property.check({ seed, numRuns: property.numRuns, path, printWidth });
      if (!outcome.failed) return { inputs: outcome.numRuns };
      const stillFails = property.stillFails;
      const counterexample = outcome.counterexample;
      const minimized = stillFails && (await minimize(counterexample, (text) => stillFails(text, printWidth)));
      const flags = `--only ${property.name} --seed ${outcome.seed} --path "${outcome.path}"${widthFlag(options)}`;
      const replay = [`npm run fuzz -- ${flags}`];
      const problem = outcome.error;
      const failure: Report = { target: property.name, seed: outcome.seed, problem, counterexample, minimized, replay };
      return { inputs: outcome.numRuns, failure };
    },
  };
}

/**
 * The mutation fuzzer's inputs come from every .figs file in the working tree:
 * a new or edited file gives a seed other inputs. Printed with a replay, so
 * whoever replays can tell.
 */
function corpusFingerprint(corpus: Corpus): string {
  const hash = createHash("sha256");
  for (const text of corpus.all) hash.update(text).update("\0");
  return `${corpus.all.length} .figs files, sha256 ${hash.digest("hex").slice(0, 12)}`;
}

function mutationTarget(corpus: Corpus, options: Options): Target {
  return {
    name: MUTATION,
    async round(seed) {
      const inputs = options.input === undefined ? options.inputs : options.input + 1;
      const outcome = await fuzz(corpus, { seed, inputs, from: options.input, printWidth: options.printWidth });
      const first = outcome.failures[0];
      if (!first) return { inputs: outcome.checked };
      const kind = problemKind(first.problem);
      const minimized = await minimize(first.text, (text) => stillFailsWith(kind, text, options.printWidth));
      const widthEnv = options.printWidth === undefined ? "" : ` FIGS_FUZZ_PRINT_WIDTH=${options.printWidth}`;
      const replay = [
        `npm run fuzz -- --only ${MUTATION} --seed ${seed} --input ${first.input}${widthFlag(options)}`,
        `FIGS_FUZZ_SEED=${seed} FIGS_FUZZ_INPUTS=${first.input + 1}${widthEnv} npx vitest run ${MUTATION_TEST}`,
        `(the same input only while the corpus is the same: ${corpusFingerprint(corpus)})`,
      ];
      const problem = `input #${first.input}: ${first.problem}`;
      const failure: Report = { target: MUTATION, seed, problem, counterexample: first.text, minimized, replay };
      return { inputs: outcome.checked, failure };
    },
  };
}

function block(label: string, text: string): string {
  return `--- ${label} ---\n${text}${text.endsWith("\n") ? "" : "\n"}---`;
}

function printReport(report: Report): void {
  console.log(`\nfuzz: FAILED ${report.target} with seed ${report.seed}\n${report.problem}`);
  // A law's message already shows its input; the counterexample is printed when it does not.
  if (!report.problem.includes(report.counterexample)) console.log(block("counterexample", report.counterexample));
  const minimized = report.minimized;
  if (minimized !== undefined) {
    const label = `minimal counterexample (${minimized.length} of ${report.counterexample.length} characters)`;
    console.log(block(label, minimized));
  }
  console.log(`replay:\n${report.replay.map((command) => `  ${command}`).join("\n")}`);
}

interface Tally {
  rounds: number;
  inputs: number;
}

function summary(tallies: Map<string, Tally>, started: number): string {
  const parts = [...tallies].map(([name, t]) => `${name} ${t.rounds} rounds / ${t.inputs} inputs`);
  return `fuzz: ${Math.round((Date.now() - started) / 1000)} s: ${parts.join(", ")}`;
}

/** Rounds of each target in turn, each from a fresh seed (or the one given), until the time is up or one fails. */
async function explore(targets: readonly Target[], options: Options): Promise<number> {
  const started = Date.now();
  const deadline = started + options.seconds * 1000;
  const tallies = new Map(targets.map((t): [string, Tally] => [t.name, { rounds: 0, inputs: 0 }]));
  let lastStatus = started;
  do {
    for (const target of targets) {
      const seed = options.seed ?? randomInt(0, 2 ** 31 - 1);
      const result = await target.round(seed);
      const tally = tallies.get(target.name)!;
      tally.rounds++;
      tally.inputs += result.inputs;
      if (result.failure) {
        printReport(result.failure);
        console.log(summary(tallies, started));
        return 1;
      }
      if (options.seed === undefined && Date.now() >= deadline) break;
    }
    if (Date.now() - lastStatus >= 30_000) {
      console.log(summary(tallies, started));
      lastStatus = Date.now();
    }
  } while (options.seed === undefined && Date.now() < deadline);
  console.log(`${summary(tallies, started)}; no failures`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  let options: Options | "help";
  try {
    options = readOptions(argv);
  } catch (cause) {
    console.error(`fuzz: ${cause instanceof Error ? cause.message : String(cause)}\n\n${HELP}`);
    return 2;
  }
  if (options === "help") {
    console.log(HELP);
    return 0;
  }
  const wanted = (name: string) => options.only === undefined || options.only === name;
  const targets: Target[] = formatProperties.filter((p) => wanted(p.name)).map((p) => propertyTarget(p, options));
  if (wanted(MUTATION)) targets.push(mutationTarget(loadCorpus(), options));
  const mode = options.seed === undefined ? `random seeds for ${options.seconds} s` : `seed ${options.seed}`;
  console.log(`fuzz: ${targets.map((t) => t.name).join(", ")} from ${mode}`);
  return explore(targets, options);
}

process.exitCode = await main(process.argv.slice(2));
