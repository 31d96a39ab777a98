// A string option followed by a negative number takes it as its value
// (`--lambda -1`, `-w -0.5`), so the command's own check says what the value
// must be; node:util parseArgs alone calls it "ambiguous" (issue #11).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  joinNegativeValues,
  parseCommandArgs,
  resolveCommand,
  type Command,
  type OptionsSpec,
} from "../../cli/command.js";
import { commands, findCommand } from "../../cli/commands/index.js";
import { main } from "../../cli/main.js";
import { memoryIo } from "./helpers.js";

const OPTIONS: OptionsSpec = {
  lambda: { type: "string", description: "" },
  width: { type: "string", short: "w", description: "" },
  set: { type: "string", multiple: true, description: "" },
  json: { type: "boolean", short: "j", description: "" },
};

describe("joinNegativeValues", () => {
  it.each([
    [["--lambda", "-1"], ["--lambda=-1"]],
    [
      ["--lambda", "-0.5", "a.figs"],
      ["--lambda=-0.5", "a.figs"],
    ],
    [["--lambda", "-.5"], ["--lambda=-.5"]],
    [["--lambda", "-2e-3"], ["--lambda=-2e-3"]],
    [["--lambda", "-3k"], ["--lambda=-3k"]],
    [["-w", "-1"], ["--width=-1"]],
    [
      ["--set", "-1", "--set", "-2"],
      ["--set=-1", "--set=-2"],
    ],
  ])("%j → %j", (argv, expected) => {
    expect(joinNegativeValues(OPTIONS, argv)).toEqual(expected);
  });

  it.each([
    [["--lambda", "1"]],
    [["--lambda=-1"]],
    [["--lambda", "-x"]],
    [["--json", "-1"]],
    [["-j", "-1"]],
    [["--unknown", "-1"]],
    [["-", "--lambda"]],
    [["--", "--lambda", "-1"]],
    [["a.figs", "--", "-w", "-1"]],
  ])("leaves %j alone", (argv) => {
    expect(joinNegativeValues(OPTIONS, argv)).toEqual(argv);
  });

  it("never joins after a token that is itself an option's value", () => {
    expect(joinNegativeValues(OPTIONS, ["--set", "--lambda", "-1"])).toEqual(["--set", "--lambda", "-1"]);
  });
});

describe("parseCommandArgs", () => {
  it("gives every string option of every command a negative value written with a space", async () => {
    for (const entry of commands) {
      const command: Command = await resolveCommand(entry);
      for (const [name, spec] of Object.entries(command.options)) {
        if (spec.type !== "string") continue;
        for (const flag of [`--${name}`, ...(spec.short ? [`-${spec.short}`] : [])]) {
          const parsed = parseCommandArgs(command, ["x.figs", flag, "-1.5"]);
          expect(parsed.ok, `figs ${command.name} ${flag} -1.5`).toBe(true);
          if (!parsed.ok) continue;
          const value = parsed.args.values[name];
          expect(Array.isArray(value) ? value : [value], `figs ${command.name} ${flag} -1.5`).toEqual(["-1.5"]);
          expect(parsed.args.positionals).toEqual(["x.figs"]);
        }
      }
    }
  });

  it("still refuses an unknown short option that is not a number", async () => {
    const scale = await resolveCommand(findCommand("scale")!);
    const parsed = parseCommandArgs(scale, ["x.figs", "--width", "-q"]);
    expect(parsed).toMatchObject({ ok: false });
  });
});

describe("negative values reach the commands' own checks", () => {
  const root = mkdtempSync(join(tmpdir(), "figs-negative-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [
      ["scale", "spaces/mnist_convnet.figs", "--width", "-0.5"],
      "figs scale: error FIGS6003: --width must be a number in (0, 1], not '-0.5'",
    ],
    [
      ["scale", "spaces/mnist_convnet.figs", "-w", "-1"],
      "figs scale: error FIGS6003: --width must be a number in (0, 1], not '-1'",
    ],
    [
      ["sample", "spaces/mnist_convnet.figs", "--n", "-3"],
      "figs sample: error FIGS6003: --n must be an integer from 1 to 10000, not '-3'",
    ],
    [
      ["sample", "spaces/mnist_convnet.figs", "--n", "2", "--seed", "-1"],
      "figs sample: error FIGS6003: --seed must be an integer from 0 to 4294967295, not '-1'",
    ],
    [
      ["sample", "spaces/mnist_convnet.figs", "--n", "2", "--drop", "-0.1"],
      "figs sample: error FIGS6003: --drop must be a number in [0, 1), not '-0.1'",
    ],
    [
      ["diff", "spaces/mnist_convnet.figs", "--samples", "-5"],
      "figs diff: error FIGS6003: --samples must be an integer from 1 to 10000000, not '-5'",
    ],
    [
      ["fmt", "--print-width", "-80", "spaces/"],
      "figs fmt: error FIGS6003: --print-width must be a whole number from 1 to 1000\n",
    ],
    [
      ["search", "spaces/mnist_convnet.figs", "--lambda", "-1"],
      "figs search: error FIGS6003: --lambda must be a number ≥ 0, got -1",
    ],
    [
      ["search", "spaces/mnist_convnet.figs", "--steps", "-5"],
      "figs search: error FIGS6003: --steps must be a positive integer, got -5",
    ],
    [
      ["search", "spaces/mnist_convnet.figs", "--temperature", "-0.1"],
      "figs search: error FIGS6003: --temperature must be",
    ],
    [
      ["retrain", "spaces/mnist_convnet.figs", "--epochs", "-1"],
      "figs retrain: error FIGS6003: --epochs must be a positive integer, got -1",
    ],
  ])("figs %j", async (argv, message) => {
    const out = join(root, `out-${argv.join("_").replace(/\W/g, "")}`);
    const withOut = ["scale", "sample", "search", "retrain"].includes(argv[0]!) ? [...argv, "--out", out] : argv;
    const run = memoryIo();
    expect(await main(withOut, run.io)).toBe(1);
    expect(run.stderr()).not.toContain("ambiguous");
    expect(run.stderr()).toContain(message);
    // figs fmt's message gives the range but not the value.
    if (argv[0] !== "fmt") expect(run.stderr()).toContain(argv[argv.length - 1]!);
    expect(readdirSync(root)).toEqual([]);
  });
});
