// `figs sample`: N random sub-architectures, each a valid export, reproducible from the seed.
import { MARKER_FILE } from "../../runtime/folders/index.js";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARCH_FILE, FIGS_FILE } from "../../runtime/export/index.js";
import { expectValidExport, figs, SMALL_ONE_SHOT, tableOf, useCpu } from "./helpers.js";

let root = "";
beforeAll(async () => {
  await useCpu();
  root = mkdtempSync(join(tmpdir(), "figs-sample-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const out = (name: string): string => join(root, name);

describe("figs sample", () => {
  it("exports N valid random sub-architectures of one_shot, some with operators removed", async () => {
    const run = await figs(
      "sample",
      "spaces/one_shot.figs",
      "--set",
      SMALL_ONE_SHOT,
      "--n",
      "3",
      "--seed",
      "5",
      "--out",
      out("one-shot"),
    );
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exit).toBe(0);
    expect(readdirSync(out("one-shot")).sort()).toEqual([MARKER_FILE, "sample-0", "sample-1", "sample-2"]);
    let removed = 0;
    for (let i = 0; i < 3; i++) {
      const arch = await expectValidExport(join(out("one-shot"), `sample-${i}`));
      const search = arch.search!;
      expect(search["baseline"]).toBe("random");
      expect(search["seed"]).toBe(5);
      expect(search["sample"]).toBe(i);
      expect(search["multiplier"]).toBeGreaterThanOrEqual(0.25);
      expect(search["multiplier"]).toBeLessThanOrEqual(1);
      expect(arch.seed).toBe(5);
      expect(arch.source.path).toBe(resolve("spaces/one_shot.figs"));
      removed += arch.removedOps;
    }
    expect(removed).toBeGreaterThan(0);
    await expect(tableOf(run.stdout)).toMatchFileSnapshot("fixtures/sample-one-shot-seed5.txt");
  });

  it("exports valid samples of mnist_convnet (a chain: only the width varies)", async () => {
    const run = await figs("sample", "spaces/mnist_convnet.figs", "--n", "2", "--out", out("mnist"), "--json");
    expect(run.exit).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      rows: { name: string; multiplier: number; params: number; madds: number }[];
      full: { params: number };
    };
    expect(summary.rows.map((r) => r.name)).toEqual(["sample-0", "sample-1"]);
    for (const row of summary.rows) {
      const arch = await expectValidExport(join(out("mnist"), row.name));
      expect(row.params).toBe(arch.costs.torch.params);
      expect(row.multiplier).toBe(arch.search!["multiplier"]);
      expect(row.params).toBeLessThan(summary.full.params);
    }
  });

  const deterministic =
    "is deterministic by seed: the same seed writes the same arch.json, pruned.figs and weights, another seed does not";
  it(deterministic, async () => {
    const args = ["sample", "spaces/one_shot.figs", "--set", SMALL_ONE_SHOT, "--n", "2"];
    expect((await figs(...args, "--seed", "11", "--out", out("a"))).exit).toBe(0);
    expect((await figs(...args, "--seed", "11", "--out", out("b"))).exit).toBe(0);
    expect((await figs(...args, "--seed", "12", "--out", out("c"))).exit).toBe(0);
    const file = (dir: string, i: number, name: string): string =>
      readFileSync(join(out(dir), `sample-${i}`, name), "utf8");
    for (const i of [0, 1]) {
      expect(file("b", i, ARCH_FILE)).toBe(file("a", i, ARCH_FILE));
      expect(file("b", i, FIGS_FILE)).toBe(file("a", i, FIGS_FILE));
      expect(
        readFileSync(join(out("b"), `sample-${i}`, "weights.bin")).equals(
          readFileSync(join(out("a"), `sample-${i}`, "weights.bin")),
        ),
      ).toBe(true);
      expect(file("c", i, ARCH_FILE)).not.toBe(file("a", i, ARCH_FILE));
    }
  });

  it("draws sample i the same whatever N is", async () => {
    const args = ["sample", "spaces/one_shot.figs", "--set", SMALL_ONE_SHOT, "--seed", "3"];
    expect((await figs(...args, "--n", "1", "--out", out("one"))).exit).toBe(0);
    expect((await figs(...args, "--n", "2", "--out", out("two"))).exit).toBe(0);
    const arch = (dir: string): string => readFileSync(join(out(dir), "sample-0", ARCH_FILE), "utf8");
    expect(arch("two")).toBe(arch("one"));
  });
});

describe("figs sample errors", () => {
  it.each([
    [["--n", "0"], "--n must be an integer from 1"],
    [["--n", "two"], "--n must be an integer from 1"],
    [[], "--n N is required"],
    [["--n", "2", "--seed=-1"], "--seed must be an integer"],
    [["--n", "2", "--drop", "1"], "--drop must be a number in [0, 1)"],
  ])("%j is a usage error (exit 1) that writes nothing", async (extra, message) => {
    const target = out(`bad-${extra.join("")}`);
    const run = await figs("sample", "spaces/mnist_convnet.figs", ...extra, "--out", target);
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain(message);
    expect(readdirSync(root)).not.toContain(`bad-${extra.join("")}`);
  });

  it("reports a space that does not compile with its diagnostics (exit 1)", async () => {
    const run = await figs(
      "sample",
      "spaces/mnist_convnet.figs",
      "--n",
      "1",
      "--set",
      "nonsense=3",
      "--out",
      out("no-space"),
    );
    expect(run.exit).toBe(1);
    expect(run.stderr).toContain("FIGS2008");
    expect(readdirSync(root)).not.toContain("no-space");
  });
});
