/**
 * Seeded fuzzing of the parser and the formatter over the repository's own
 * .figs files (run.ts; `npm run fuzz` runs the same with fresh seeds). Every
 * mutated, truncated or spliced input is parsed and formatted, and fails the
 * test on: an exception, an internal error (FIGS9999, which is how parse and
 * formatFigs report a caught exception), a range outside the text or with the
 * wrong line/column, an AST with errors or none without, a message naming the
 * grammar's token types or rules, a formatter that refuses text that parses,
 * formatted text that does not parse to the same AST and comments, or
 * formatted text that formats differently again (fmt(fmt(x)) != fmt(x)). The
 * checks themselves are tested in checks.test.ts.
 */
import { describe, expect, it } from "vitest";
import { describeFailures, fuzz, loadCorpus } from "./run.js";

/** FIGS_FUZZ_SEED and FIGS_FUZZ_INPUTS explore beyond the fixed CI run; a failure prints the seed to replay. */
const SEED = Number(process.env.FIGS_FUZZ_SEED ?? 0x5eed_f165);
const INPUTS = Math.max(5_000, Number(process.env.FIGS_FUZZ_INPUTS ?? 0));
/** FIGS_FUZZ_PRINT_WIDTH formats at another line length (narrow widths break more lines). */
const PRINT_WIDTH = process.env.FIGS_FUZZ_PRINT_WIDTH ? Number(process.env.FIGS_FUZZ_PRINT_WIDTH) : undefined;

describe("parser and formatter fuzzing", () => {
  it(`survives ${INPUTS} mutated inputs (seed ${SEED})`, async () => {
    const corpus = loadCorpus();
    expect(corpus.valid.length).toBeGreaterThan(10);
    const { failures, parsedCleanly } = await fuzz(corpus, { seed: SEED, inputs: INPUTS, printWidth: PRINT_WIDTH });
    const files = `${corpus.all.length} corpus files (${corpus.valid.length} valid)`;
    console.log(
      `fuzz: seed ${SEED}, print width ${PRINT_WIDTH ?? "default"}, ${files}, ` +
        `${INPUTS} inputs parsed and formatted, ${parsedCleanly} without errors (printed), ${failures.length} failures`,
    );
    expect(failures, describeFailures(failures, SEED)).toEqual([]);
    expect(parsedCleanly).toBeGreaterThan(INPUTS / 2);
  });
});
