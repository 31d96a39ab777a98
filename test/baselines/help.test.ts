// Both commands are registered, listed by `figs --help`, and their help texts are stable.
import { describe, expect, it } from "vitest";
import { figs } from "./helpers.js";

describe("figs sample and figs scale help", () => {
  it("figs --help lists both commands", async () => {
    const run = await figs("--help");
    expect(run.exit).toBe(0);
    expect(run.stdout).toMatch(/^\s+sample\s+export random sub-architectures/m);
    expect(run.stdout).toMatch(/^\s+scale\s+export a space at a uniform width multiplier/m);
  });

  it("their help texts are stable", async () => {
    const texts: string[] = [];
    for (const command of ["sample", "scale"]) {
      const run = await figs(command, "--help");
      expect(run.exit).toBe(0);
      texts.push(`$ figs ${command} --help\n${run.stdout}`);
    }
    await expect(texts.join("\n")).toMatchFileSnapshot("fixtures/help.txt");
  });
});
