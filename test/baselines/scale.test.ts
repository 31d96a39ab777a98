// `figs scale`: the uniform width-multiplier baseline, one valid export; bad widths and existing folders refused.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { ARCH_FILE } from "../../runtime/export/index.js";
import { expectValidExport, figs, SMALL_ONE_SHOT, tableOf, useCpu } from "./helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-scale-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const out = (name: string): string => join(root, name);

describe("figs scale", () => {
  it("gives every searchable group max(1, round(W·size)) and keeps fixed groups", async () => {
    const run = await figs("scale", "spaces/mnist_convnet.figs", "--width", "0.3", "--out", out("mnist-0.3"));
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exit).toBe(0);
    const arch = await expectValidExport(out("mnist-0.3"));
    expect(arch.search).toEqual({ baseline: "uniform", multiplier: 0.3 });
    expect(arch.removedOps).toBe(0);
    for (const group of arch.widths) {
      expect(group.width, group.name).toBe(group.searchable ? Math.max(1, Math.round(0.3 * group.size)) : group.size);
    }
    expect(arch.widths.some((g) => !g.searchable)).toBe(true);
    await expect(tableOf(run.stdout)).toMatchFileSnapshot("fixtures/scale-mnist-0.3.txt");
    // Recorded by its absolute path (issue 14), so the arch.json retrains from any folder, as search's does.
    expect(arch.source.path).toBe(resolve("spaces/mnist_convnet.figs"));
  });

  it("at W = 1 exports the full space, with the compiled space's own costs", async () => {
    const run = await figs(
      "scale",
      "spaces/one_shot.figs",
      "--set",
      SMALL_ONE_SHOT,
      "--width",
      "1",
      "--convention",
      "keras",
      "--out",
      out("full"),
    );
    expect(run.exit).toBe(0);
    const arch = await expectValidExport(out("full"));
    const compiled = compile(
      { path: "spaces/one_shot.figs", set: Object.fromEntries(SMALL_ONE_SHOT.split(",").map((kv) => kv.split("="))) },
      { convention: "keras" },
    );
    expect(arch.costs.keras.params).toBe(compiled.ir!.costs.full.params);
    expect(arch.costs.keras.madds).toBe(compiled.ir!.costs.full.madds);
    expect(arch.widths.every((g) => g.width === g.size)).toBe(true);
  });

  const kerasConvBias =
    "with --convention keras,conv-bias counts its rows as the space's full row, while arch.json counts the model";
  it(kerasConvBias, async () => {
    const run = await figs(
      "scale",
      "spaces/mnist_convnet.figs",
      "--width",
      "1",
      "--convention",
      "keras,conv-bias",
      "--out",
      out("conv-bias"),
    );
    expect(run.exit).toBe(0);
    const table = tableOf(run.stdout).split("\n");
    expect(table[0]).toContain("keras,conv-bias");
    expect(table[3]).toMatch(/100\.0%\s+100\.0%$/);
    const arch = await expectValidExport(out("conv-bias"));
    const compiled = compile({ path: "spaces/mnist_convnet.figs" }, { convention: "keras", convBias: true });
    expect(arch.costs.keras.params).toBeLessThan(compiled.ir!.costs.full.params);
  });

  it("replaces an export of its own with --force, but never a folder figs did not make", async () => {
    mkdirSync(out("users"));
    writeFileSync(join(out("users"), "old.txt"), "old");
    const refused = await figs(
      "scale",
      "spaces/mnist_convnet.figs",
      "--width",
      "0.5",
      "--out",
      out("users"),
      "--force",
    );
    expect(refused.exit).toBe(1);
    expect(readdirSync(out("users"))).toEqual(["old.txt"]);
    expect((await figs("scale", "spaces/mnist_convnet.figs", "--width", "0.25", "--out", out("forced"))).exit).toBe(0);
    const run = await figs("scale", "spaces/mnist_convnet.figs", "--width", "0.5", "--out", out("forced"), "--force");
    expect(run.exit).toBe(0);
    await expectValidExport(out("forced"));
  });
});

describe("figs scale errors", () => {
  it.each(["0", "-0.5", "1.5", "abc", "", "NaN", "Infinity"])(
    "--width '%s' is a usage error (exit 1) that writes nothing",
    async (width) => {
      const target = out(`bad-width-${width}`);
      // `--width=W` so that a negative W is not read as an option.
      const run = await figs("scale", "spaces/mnist_convnet.figs", `--width=${width}`, "--out", target);
      expect(run.exit).toBe(1);
      expect(run.stderr).toContain("--width must be a number in (0, 1]");
      expect(existsSync(target)).toBe(false);
    },
  );

  it("requires --width", async () => {
    const run = await figs("scale", "spaces/mnist_convnet.figs", "--out", out("no-width"));
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain("--width W or --target KIND=N is required");
  });

  it.each([
    ["scale", ["--width", "0.5"]],
    ["sample", ["--n", "2"]],
  ])("figs %s refuses an existing output folder without --force (exit 1), touching nothing", async (command, extra) => {
    const target = out(`existing-${command}`);
    mkdirSync(target);
    writeFileSync(join(target, ARCH_FILE), "precious");
    const run = await figs(command, "spaces/mnist_convnet.figs", ...extra, "--out", target);
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain("FIGS7002");
    expect(run.stderr).toContain("--force");
    expect(readdirSync(target)).toEqual([ARCH_FILE]);
    expect(readFileSync(join(target, ARCH_FILE), "utf8")).toBe("precious");
    expect(readdirSync(root).filter((name) => name.includes(".partial-"))).toEqual([]);
  });
});
