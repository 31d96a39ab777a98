// Issue 11, items 1-6, 8, 9 and 12 through the command line (in process):
// --force never deletes a user's folder or a run before the new settings are
// checked, one writer per run folder, failed writes are messages and exit 1
// (never a trace, never ignored), leftovers of killed exports are removed,
// and --lambda 0 means λ = 0.
import * as fs from "node:fs";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireLock, fsError, withFileOps } from "../../runtime/folders/index.js";
import { exited, figs, spawnFigs, SMALL } from "../cli-runtime/helpers.js";
import { metrics, tempDir, useWasm } from "../runtime/search/helpers.js";
import { snapshot } from "./helpers.js";

const temp = tempDir("figs-safety-");
const FAST = [...SMALL, "--steps", "4", "--checkpoint-every", "2", "--lambda", "3e-4"];
let finished: string;

beforeAll(async () => {
  await useWasm();
  finished = join(temp.dir, "finished");
  const run = await figs(["search", ...FAST, "--out", finished]);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(() => temp.remove());

function copyOfFinished(name: string): string {
  const dir = join(temp.dir, name);
  const copied = readdirSync(finished);
  mkdirSync(dir);
  for (const entry of copied) {
    const from = join(finished, entry);
    if (statSync(from).isDirectory()) {
      mkdirSync(join(dir, entry));
      for (const file of readdirSync(from)) writeFileSync(join(dir, entry, file), readFileSync(join(from, file)));
    } else writeFileSync(join(dir, entry), readFileSync(from));
  }
  return dir;
}

describe("--force (items 1 and 2)", () => {
  it("refuses a folder figs did not make, even the one holding the space, and deletes nothing", async () => {
    const dir = join(temp.dir, "user");
    mkdirSync(dir);
    writeFileSync(join(dir, "space.figs"), readFileSync("spaces/mnist_convnet.figs"));
    writeFileSync(join(dir, "thesis.tex"), "x");
    const before = snapshot(dir);
    const run = await figs(["search", "space.figs", ...FAST.slice(1), "--out", ".", "--force"], dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--force replaces only a figs search run, and .* is a folder figs did not make/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("refuses a figs run that holds the space the new run reads", async () => {
    const dir = copyOfFinished("holds-space");
    writeFileSync(join(dir, "space.figs"), readFileSync("spaces/mnist_convnet.figs"));
    const before = snapshot(dir);
    const run = await figs(["search", join(dir, "space.figs"), ...FAST.slice(1), "--out", dir, "--force"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("which this run reads");
    expect(snapshot(dir)).toEqual(before);
  });

  it("checks the new settings and data before it touches the old run", async () => {
    const dir = copyOfFinished("old-run");
    const before = snapshot(dir);
    const space = ["spaces/mnist_convnet.figs", "--set", "width=8,hidden=32", "--backend", "wasm"];
    const run = await figs([
      "search",
      ...space,
      "--limit",
      "100",
      "--batch",
      "200",
      "--steps",
      "5",
      "--out",
      dir,
      "--force",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("fewer than one batch of 200");
    expect(snapshot(dir)).toEqual(before);
  });

  it("replaces a finished run of its own kind, keeping a user's file in it", async () => {
    const dir = copyOfFinished("replace");
    writeFileSync(join(dir, "notes.md"), "mine");
    const run = await figs(["search", ...FAST, "--seed", "7", "--out", dir, "--force"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "notes.md"), "utf8")).toBe("mine");
    expect(JSON.parse(readFileSync(join(dir, "export", "arch.json"), "utf8")).seed).toBe(7);
  });
});

describe("one writer per run folder (item 3)", () => {
  it("refuses --force, --resume and export into a folder another process holds, and leaves it as it was", async () => {
    const dir = copyOfFinished("busy");
    const lock = acquireLock(dir);
    if (!lock.ok) throw new Error(lock.diagnostic.message);
    try {
      const before = snapshot(dir);
      for (const argv of [
        ["search", ...FAST, "--out", dir, "--force"],
        ["search", "--resume", "--out", dir],
        ["export", dir, "--force"],
      ]) {
        const run = await figs(argv);
        expect(run.code, argv.join(" ")).toBe(1);
        expect(run.stderr).toContain("is being written by another figs process");
      }
      expect(snapshot(dir)).toEqual(before);
    } finally {
      lock.value.release();
    }
  });
});

describe("two searches started at the same moment (item 3)", () => {
  it("one runs, the other is refused at once, and the folder holds the one run", async () => {
    const dir = join(temp.dir, "race");
    const start = (seed: string): Promise<number | null> =>
      exited(spawnFigs(["search", ...FAST, "--seed", seed, "--out", dir]));
    const codes = await Promise.all([start("1"), start("2")]);
    expect([...codes].sort()).toEqual([0, 1]);
    const seed = JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).settings.seed;
    expect(JSON.parse(readFileSync(join(dir, "export", "arch.json"), "utf8")).seed).toBe(seed);
  });
});

describe("failed writes are messages and exit 1 (items 4, 5, 8, 9)", () => {
  it("a checkpoint that cannot be written stops the search: no export, no 'checkpoint saved'", async () => {
    const dir = join(temp.dir, "unwritable-checkpoint");
    let renames = 0;
    const failing = {
      renameSync: (from: string, to: string): void => {
        if (to.includes("checkpoint") && ++renames > 2) throw fsError("EACCES", "rename", to);
        return fs.renameSync(from, to);
      },
    };
    const run = await withFileOps(failing, () => figs(["search", ...FAST, "--out", dir]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /cannot write checkpoint in .*permission denied; the previous checkpoint, if any, is unchanged/,
    );
    expect(run.stdout).not.toContain("exported to");
    expect(run.stderr).not.toContain("checkpoint saved");
    expect(existsSync(join(dir, "export"))).toBe(false);
    expect(readdirSync(join(dir, "checkpoint")).filter((n) => n.startsWith(".figs-tmp"))).toEqual([]);
  });

  it("a full disk while writing metrics is a message, and the checkpoint before it stays loadable", async () => {
    const dir = join(temp.dir, "disk-full");
    const failing = {
      writeSync: (fd: number, data: Uint8Array, offset?: number, length?: number): number => {
        if (Buffer.from(data).toString("utf8").startsWith('{"step":3')) throw fsError("ENOSPC", "write");
        return fs.writeSync(fd, data, offset, length);
      },
    };
    const run = await withFileOps(failing, () => figs(["search", ...FAST, "--out", dir]));
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot append to .*metrics\.jsonl: no space left on device/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const resumed = await figs(["search", "--resume", "--out", dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(metrics(dir).map((m) => m["step"])).toEqual([0, 1, 2, 3]);
  });

  it("resume rewrites metrics.jsonl atomically: a failure then leaves the old file whole", async () => {
    const dir = copyOfFinished("metrics-atomic");
    const checkpoint = join(dir, "checkpoint", "checkpoint.json");
    const manifest = JSON.parse(readFileSync(checkpoint, "utf8"));
    writeFileSync(checkpoint, JSON.stringify({ ...manifest, step: 2 }));
    const before = readFileSync(join(dir, "metrics.jsonl"), "utf8");
    const failing = {
      writeSync: (): number => {
        throw fsError("ENOSPC", "write");
      },
    };
    const run = await withFileOps(failing, () => figs(["search", "--resume", "--out", dir]));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("no space left on device");
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8")).toBe(before);
  });

  it("--out under a regular file is a message for search, retrain, export, scale and sample", async () => {
    const file = join(temp.dir, "a-file");
    writeFileSync(file, "");
    const out = join(file, "out");
    const arch = join(finished, "export", "arch.json");
    const space = ["spaces/mnist_convnet.figs", "--set", "width=8,hidden=32"];
    const commands = [
      ["search", ...FAST, "--out", out],
      ["retrain", arch, "--limit", "200", "--steps", "1", "--out", out],
      ["export", finished, "--out", out],
      ["scale", ...space, "--width", "0.5", "--out", out],
      ["sample", ...space, "--n", "2", "--out", out],
    ];
    for (const argv of commands) {
      const run = await figs(argv);
      expect(run.code, `${argv[0]}: ${run.stderr}`).toBe(1);
      expect(run.stderr, argv[0]).toMatch(/a-file.*(is a file, not a folder|a part of the path is a file)/);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("exports (item 6)", () => {
  it("remove the staging folders a killed export left", async () => {
    const dir = copyOfFinished("killed-export");
    const dead = 2 ** 22 + 12345;
    mkdirSync(join(dir, `.export.partial-${dead}-1a2b`));
    const run = await figs(["export", dir, "--force"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes("partial"))).toEqual([]);
  });
});

describe("--lambda 0 (item 12)", () => {
  it("searches with λ = 0 and records it", async () => {
    const dir = join(temp.dir, "lambda-zero");
    const run = await figs(["search", ...SMALL, "--steps", "2", "--lambda", "0", "--out", dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(metrics(dir).map((m) => m["lambda"])).toEqual([0, 0]);
    expect(JSON.parse(readFileSync(join(dir, "run.json"), "utf8")).settings.lambda).toBe(0);
  });
});
