// Issue 5, "Must show": bad input to search, export and retrain is a clear
// error and exit 1, with nothing overwritten: missing or corrupt data files,
// a loss that becomes NaN, an arch.json from another space, an output
// directory that exists.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../compiler/index.js";
import { exportArchitecture } from "../../runtime/export/export.js";
import { fullWidths } from "../../runtime/export/widths.js";
import { tempDir, useWasm } from "../runtime/search/helpers.js";
import { figs, SMALL } from "./helpers.js";

const temp = tempDir("figs-bad-");
beforeAll(() => useWasm());
afterAll(() => temp.remove());

/** An existing directory with one file in it, to check that nothing touched it. */
function occupied(name: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, "keep.txt"), "mine");
  return dir;
}

function untouched(dir: string): void {
  expect(readdirSync(dir)).toEqual(["keep.txt"]);
  expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("mine");
}

describe("figs search with bad input", () => {
  it("refuses missing data files, naming the file, and creates no run directory", async () => {
    const out = join(temp.dir, "missing-data");
    const run = await figs(["search", ...SMALL, "--data", `idx:${join(temp.dir, "nowhere")}`, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/train-images-idx3-ubyte.*(no such file|cannot)/is);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses corrupt data files", async () => {
    const data = join(temp.dir, "corrupt-idx");
    mkdirSync(data);
    for (const name of [
      "train-images-idx3-ubyte",
      "train-labels-idx1-ubyte",
      "t10k-images-idx3-ubyte",
      "t10k-labels-idx1-ubyte",
    ]) {
      writeFileSync(join(data, name), Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 9, 1, 2]));
    }
    const out = join(temp.dir, "corrupt-out");
    const run = await figs(["search", ...SMALL, "--data", `idx:${data}`, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("train-images-idx3-ubyte");
    expect(existsSync(out)).toBe(false);
  });

  it("stops on a NaN loss, reports the step and exports nothing", async () => {
    const out = join(temp.dir, "nan");
    const run = await figs(["search", ...SMALL, "--lr", "1e30", "--steps", "20", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the loss became (NaN|Infinity|-Infinity) at step \d+/);
    expect(existsSync(join(out, "export"))).toBe(false);
  });

  it("refuses an existing output directory and leaves it as it was", async () => {
    const out = occupied("search-exists");
    const run = await figs(["search", ...SMALL, "--steps", "2", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("already exists");
    untouched(out);
  });

  it("refuses bad settings before doing anything", async () => {
    const out = join(temp.dir, "bad-settings");
    for (const extra of [
      ["--target", "params=lots"],
      ["--lambda", "1", "--target", "params=10k"],
      ["--steps", "0"],
      ["--cost", "latency"],
    ]) {
      const run = await figs(["search", ...SMALL, ...extra, "--out", out]);
      expect(run.code, extra.join(" ")).toBe(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe("figs retrain and figs export with bad input", () => {
  let archPath = "";

  beforeAll(async () => {
    const compiled = compile(
      { path: "spaces/mnist_convnet.figs", set: { width: "8", hidden: "32" } },
      { convention: "torch" },
    );
    const ir = compiled.ir!;
    const result = await exportArchitecture({ ir, widths: fullWidths(ir), outDir: join(temp.dir, "full-export") });
    result.model?.dispose();
    archPath = join(temp.dir, "full-export", "arch.json");
  });

  it("refuses an arch.json from another space", async () => {
    const out = join(temp.dir, "retrain-other");
    const run = await figs(["retrain", archPath, "--space", "spaces/one_shot.figs", "--limit", "200", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/does not fit spaces\/one_shot\.figs|another space/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an arch.json whose space file has changed", async () => {
    const edited = join(temp.dir, "edited.figs");
    writeFileSync(edited, `${readFileSync("spaces/mnist_convnet.figs", "utf8")}\n# edited\n`);
    const run = await figs([
      "retrain",
      archPath,
      "--space",
      edited,
      "--limit",
      "200",
      "--out",
      join(temp.dir, "retrain-edited"),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("exported from another space");
  });

  it("refuses an existing retrain output directory and leaves it as it was", async () => {
    const out = occupied("retrain-exists");
    const run = await figs(["retrain", archPath, "--limit", "200", "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("already exists");
    untouched(out);
  });

  it("refuses a directory that is not a search run", async () => {
    const run = await figs(["export", occupied("not-a-run")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("run.json");
  });

  it("refuses a corrupt arch.json", async () => {
    const broken = join(temp.dir, "broken-arch.json");
    writeFileSync(broken, '{ "format": ');
    const run = await figs(["retrain", broken, "--out", join(temp.dir, "retrain-broken")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("not valid JSON");
  });
});
