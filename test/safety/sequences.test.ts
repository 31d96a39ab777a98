// Issue 11, "Must show": random sequences of {start, kill -9 at a random
// step, resume, --force, two starts at once} on one run folder, with real
// processes. After every operation: a run that finished has the arch.json of
// an uninterrupted run with its seed; an operation that was refused left the
// folder exactly as it was; no file outside figs's own is ever touched.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { snapshot } from "./helpers.js";
import { tempDir } from "../runtime/search/helpers.js";
import { SMALL } from "../cli-runtime/helpers.js";

const STEPS = 8;
const SEEDS = [1, 2] as const;
const temp = tempDir("figs-sequences-");
afterAll(() => temp.remove());

type Seed = (typeof SEEDS)[number];
type Operation =
  | { readonly kind: "start"; readonly seed: Seed; readonly force: boolean }
  | { readonly kind: "kill"; readonly seed: Seed; readonly force: boolean; readonly atStep: number }
  | { readonly kind: "resume" }
  | { readonly kind: "concurrent"; readonly seed: Seed };

interface Exit {
  readonly code: number | null;
  readonly stderr: string;
}

function args(out: string, seed: Seed, force: boolean): string[] {
  return [
    "search",
    ...SMALL,
    "--lambda",
    "3e-4",
    "--steps",
    String(STEPS),
    "--checkpoint-every",
    "2",
    "--seed",
    String(seed),
    "--out",
    out,
    ...(force ? ["--force"] : []),
  ];
}

/** Runs figs as a real process; `killAt` sends SIGKILL once metrics.jsonl has that many lines. */
function run(argv: readonly string[], killAt?: { readonly dir: string; readonly lines: number }): Promise<Exit> {
  const child = spawn(process.execPath, ["--import", "tsx", "cli/main.ts", ...argv], {
    cwd: process.cwd(),
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const timer =
    killAt === undefined
      ? undefined
      : setInterval(() => {
          if (lineCount(join(killAt.dir, "metrics.jsonl")) >= killAt.lines) child.kill("SIGKILL");
        }, 20);
  return new Promise((resolve) =>
    child.once("exit", (code) => {
      if (timer !== undefined) clearInterval(timer);
      resolve({ code, stderr });
    }),
  );
}

function lineCount(path: string): number {
  try {
    return readFileSync(path, "utf8")
      .split("\n")
      .filter((l) => l.endsWith("}")).length;
  } catch {
    return 0;
  }
}

const references = new Map<Seed, string>();

async function reference(seed: Seed): Promise<string> {
  const known = references.get(seed);
  if (known !== undefined) return known;
  const dir = join(temp.dir, `reference-${seed}`);
  const done = await run(args(dir, seed, false));
  expect(done.code, done.stderr).toBe(0);
  const arch = readFileSync(join(dir, "export", "arch.json"), "utf8");
  references.set(seed, arch);
  return arch;
}

function seedOf(dir: string): Seed | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, "run.json"), "utf8")) as { settings: { seed: Seed } }).settings.seed;
  } catch {
    return undefined;
  }
}

/** A finished run has its seed's reference arch.json; a refused one left the folder as it was. */
async function expectOutcome(dir: string, exit: Exit, before: Record<string, string>): Promise<void> {
  if (exit.code === 0) {
    const seed = seedOf(dir);
    expect(seed).toBeDefined();
    expect(readFileSync(join(dir, "export", "arch.json"), "utf8")).toBe(await reference(seed as Seed));
  } else if (exit.code === 1) {
    expect(snapshot(dir), exit.stderr).toEqual(before);
  } else {
    expect(exit.code, exit.stderr).toBe(null); // killed
  }
}

async function apply(dir: string, op: Operation): Promise<void> {
  const before = snapshot(dir);
  if (op.kind === "start") return expectOutcome(dir, await run(args(dir, op.seed, op.force)), before);
  if (op.kind === "kill")
    return expectOutcome(dir, await run(args(dir, op.seed, op.force), { dir, lines: op.atStep }), before);
  if (op.kind === "resume")
    return expectOutcome(
      dir,
      await run(["search", "--resume", "--out", dir, "--backend", "wasm", "--threads", "1"]),
      before,
    );
  const both = await Promise.all([run(args(dir, op.seed, true)), run(args(dir, op.seed, true))]);
  // Both may finish when the second starts after the first is done; while they overlap, one is refused at once.
  expect(both.map((e) => e.code).filter((c) => c === 0).length).toBeGreaterThanOrEqual(1);
  for (const exit of both)
    if (exit.code === 1)
      expect(exit.stderr).toMatch(/being written by another figs process|created by another process/);
  expect(readFileSync(join(dir, "export", "arch.json"), "utf8")).toBe(await reference(op.seed));
}

const seed = fc.constantFrom(...SEEDS);
const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant("start" as const), seed, force: fc.boolean() }),
  fc.record({
    kind: fc.constant("kill" as const),
    seed,
    force: fc.boolean(),
    atStep: fc.integer({ min: 1, max: STEPS - 1 }),
  }),
  fc.constant({ kind: "resume" as const }),
  fc.record({ kind: fc.constant("concurrent" as const), seed }),
);

describe("a run folder under random sequences of start, kill -9, resume, --force and concurrent starts", () => {
  it("always ends finished like an uninterrupted run, or as it was, and touches nothing else", async () => {
    let sequence = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 2, maxLength: 4 }), async (operations) => {
        sequence += 1;
        const parent = join(temp.dir, `sequence-${sequence}`);
        const dir = join(parent, "run");
        const mine = join(parent, "mine");
        mkdirSync(parent, { recursive: true });
        writeFileSync(mine, "keep");
        for (const op of operations) await apply(dir, op);
        expect(readFileSync(mine, "utf8")).toBe("keep");
        expect(readdirSync(parent).sort()).toEqual(existsSync(dir) ? ["mine", "run"] : ["mine"]);
      }),
      { seed: 20261207, numRuns: 5, endOnFailure: true },
    );
  }, 900_000);
});
