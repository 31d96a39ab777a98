// `figs search|retrain|export --help` lists every option the command accepts,
// the new ones among them (a flag that parses but is not in the help would
// be invisible to users).
import { describe, expect, it } from "vitest";
import { exportCommand } from "../../cli/commands/export.js";
import { retrainCommand } from "../../cli/commands/retrain.js";
import { searchCommand } from "../../cli/commands/search.js";
import type { Command } from "../../cli/command.js";
import { figs } from "./helpers.js";

const EXPECTED: Record<string, readonly string[]> = {
  search: [
    "set",
    "data",
    "limit",
    "steps",
    "epochs",
    "batch",
    "lr",
    "seed",
    "out",
    "resume",
    "force",
    "backend",
    "threads",
    "checkpoint-every",
    "validation",
    "crop",
    "flip",
    "cost",
    "lambda",
    "target",
    "arch-lr",
    "nu-init",
    "temperature",
    "json",
    "help",
  ],
  retrain: [
    "data",
    "limit",
    "steps",
    "epochs",
    "batch",
    "lr",
    "seed",
    "out",
    "resume",
    "force",
    "backend",
    "threads",
    "checkpoint-every",
    "validation",
    "crop",
    "flip",
    "space",
    "json",
    "help",
  ],
  export: ["out", "force", "backend", "threads", "json", "help"],
};

describe.each([searchCommand, retrainCommand, exportCommand] as Command[])("figs $name --help", (command) => {
  it("exits 0 and prints the usage and every option with its description", async () => {
    const run = await figs([command.name, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout.startsWith(`Usage: figs ${command.name} `)).toBe(true);
    const listed = [...run.stdout.matchAll(/^ {2}(?:-\w, | {4})--([a-z-]+)/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set([...Object.keys(command.options), "json", "help"]));
    for (const [name, spec] of Object.entries(command.options)) expect(run.stdout, name).toContain(spec.description);
  });

  it("names the default of --out and ends with examples", async () => {
    const run = await figs([command.name, "--help"]);
    const defaults: Record<string, RegExp> = {
      search: new RegExp(
        /--out DIR +the run directory \(default search-<SPACE>: /.source +
          /the space file's name without \.figs, e\.g\. search-mnist_convnet\)/.source,
      ),
      retrain: new RegExp(
        /--out DIR +the output directory \(default retrain-<ARCH>: /.source +
          /its file name without \.json or \.figs, e\.g\. retrain-arch\)/.source,
      ),
      export: /--out DIR +where to write the export \(default RUN_DIR\/export;/,
    };
    expect(run.stdout).toMatch(defaults[command.name]!);
    expect(run.stdout).toMatch(/\nExit status: 0 /);
    expect(run.stdout).toMatch(new RegExp(`\\nExamples:\\n {2}figs ${command.name} `));
  });

  it("lists the options the documentation promises", async () => {
    const run = await figs([command.name, "--help"]);
    for (const name of EXPECTED[command.name]!)
      expect(run.stdout, name).toMatch(new RegExp(`^ {2}(?:-\\w, | {4})--${name}\\b`, "m"));
  });
});
