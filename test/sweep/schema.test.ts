import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderDiagnostics } from "../../diagnostics/render.js";
import { readExperiment } from "../../runtime/sweep/experiment.js";
import { valueRanges } from "../../runtime/sweep/json-locate.js";

const SPACE = resolve("spaces/mnist_convnet.figs");

const folders: string[] = [];
afterEach(() => folders.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const VALID = {
  format: "figs-sweep-experiment",
  version: 1,
  name: "t",
  spaces: [{ file: SPACE }],
  data: { dataset: "fashion-mnist" },
  budgets: ["params=10k"],
  methods: [{ method: "figs" }, { method: "multiplier" }],
  seeds: { search: [1], retrain: [1] },
  search: { steps: 3 },
  retrain: { epochs: 1 },
};

/** The diagnostics of an experiment file with this text, rendered as the command line prints them. */
function problemsOf(text: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), "figs-sweep-"));
  folders.push(dir);
  const file = join(dir, "e.json");
  writeFileSync(file, text);
  const read = readExperiment(file);
  if (read.ok) return [];
  const lookup = (path: string) => (path === read.source?.path ? read.source : undefined);
  return read.diagnostics.map((d) => renderDiagnostics([d], lookup).replaceAll(dir, "DIR"));
}

const withChanges = (changes: Record<string, unknown>): string => JSON.stringify({ ...VALID, ...changes }, null, 2);

describe("reading an experiment file", () => {
  it("accepts a valid experiment, and the examples", () => {
    expect(problemsOf(withChanges({}))).toEqual([]);
    for (const example of readdirSync(resolve("examples/sweeps")).filter((name) => name.endsWith(".json")))
      expect(readExperiment(resolve("examples/sweeps", example)).ok, example).toBe(true);
  });

  it("reports a schema problem at its line and column, with its JSON path", () => {
    const [problem] = problemsOf(withChanges({ budgets: ["params=10k", "params=ten"] }));
    expect(problem).toBe(
      [
        "DIR/e.json:15:5: error FIGS7008: a budget is KIND=N, e.g. params=40k or madds=2M, not params=ten",
        ' 15 |     "params=ten"',
        "    |     ^~~~~~~~~~~~",
      ].join("\n"),
    );
  });

  it("names an unknown method, a missing field and an extra one", () => {
    expect(problemsOf(withChanges({ methods: [{ method: "grid" }] }))[0]).toMatch(
      /e\.json:\d+:\d+: error FIGS7008: experiment: \/methods\/0\/method must be equal to one of the allowed values/,
    );
    const { seeds: _seeds, ...withoutSeeds } = VALID;
    expect(problemsOf(JSON.stringify(withoutSeeds))[0]).toMatch(/e\.json:1:1: .*must have required property 'seeds'/);
    expect(problemsOf(withChanges({ search: { steps: 3, step: 4 } }))[0]).toMatch(
      /\/search must NOT have additional properties/,
    );
  });

  it("reports every rule the schema cannot say, each where it applies", () => {
    const problems = problemsOf(
      withChanges({
        methods: [
          { method: "figs" },
          { method: "figs" },
          { method: "multiplier", samples: 2 },
          { method: "lambda" },
          { method: "random", cost: "madds" },
        ],
        retrain: { epochs: 1, steps: 3 },
      }),
    ).map((p) => p.split("\n")[0]);
    expect(problems).toEqual([
      expect.stringMatching(/:20:5: .*two methods are called figs \(the other is \/methods\/0\); give one a label$/),
      expect.stringMatching(/:25:18: .*samples is a search setting; multiplier has none$/),
      expect.stringMatching(/:27:5: .*a lambda method needs its grid: lambdas$/),
      expect.stringMatching(/:32:15: .*cost belongs to a lambda method$/),
      expect.stringMatching(/:46:14: .*retrain needs exactly one of steps and epochs$/),
    ]);
  });

  it("says when the file is not JSON, and when a space file is missing", () => {
    expect(problemsOf("{ not json")[0]).toMatch(/^DIR\/e\.json: error FIGS3506: .* is not valid JSON/);
    const missing = problemsOf(withChanges({ spaces: [{ file: "nowhere.figs" }] }))[0];
    expect(missing).toMatch(/e\.json:7:15: error FIGS7008: cannot read the space nowhere\.figs/);
  });

  it("finds the range of every value by its JSON pointer", () => {
    const text = '{"a": [1, {"b/c": "x"}], "d": true}';
    const ranges = valueRanges(text);
    const at = (pointer: string) => {
      const range = ranges.get(pointer)!;
      return text.slice(range.start, range.end);
    };
    expect(at("/a/1/b~1c")).toBe('"x"');
    expect(at("/a/0")).toBe("1");
    expect(at("/d")).toBe("true");
    expect(at("")).toBe(text);
  });
});
