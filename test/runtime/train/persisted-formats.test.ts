// Every persisted format of a run has a JSON Schema checked on read: the
// run.json, retrain.json, checkpoint manifests and result.json the real
// commands write pass it, and a corrupted field is exit 1 with a message that
// names the file and the field — never a stack trace.
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../../../runtime/checkpoint/store.js";
import { readRetrainResult, readRetrainRunConfig } from "../../../runtime/retrain/index.js";
import { readRunConfig } from "../../../runtime/search/index.js";
import { figs, SMALL } from "../../cli-runtime/helpers.js";
import { tempDir, useWasm } from "../search/helpers.js";

const temp = tempDir("figs-formats-");
const searchDir = join(temp.dir, "search");
const retrainDir = join(temp.dir, "retrain");
const BACKEND = ["--backend", "wasm", "--threads", "1"] as const;

beforeAll(async () => {
  await useWasm();
  const searched = await figs([
    "search",
    ...SMALL,
    "--limit",
    "300",
    "--steps",
    "2",
    "--lambda",
    "3e-4",
    "--out",
    searchDir,
  ]);
  expect(searched.code, searched.stderr).toBe(0);
  const arch = join(searchDir, "export", "arch.json");
  const retrain = ["retrain", arch, "--limit", "200", "--batch", "16", "--steps", "2", ...BACKEND, "--out", retrainDir];
  const retrained = await figs(retrain);
  expect(retrained.code, retrained.stderr).toBe(0);
});
afterAll(() => temp.remove());

/** A copy of a run folder with one field of one JSON file replaced. */
function corrupted(dir: string, file: string, field: readonly (string | number)[], replacement: unknown): string {
  const copy = `${dir}-${file.replace(/\W/g, "-")}-${field.join("-")}`;
  cpSync(dir, copy, { recursive: true });
  const value: unknown = JSON.parse(readFileSync(join(copy, file), "utf8"));
  const parent = field.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], value);
  (parent as Record<string, unknown>)[field[field.length - 1]!] = replacement;
  writeFileSync(join(copy, file), JSON.stringify(value, null, 2));
  return copy;
}

function expectNamed(run: { code: number; stderr: string }, file: string, field: string): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toContain(file);
  expect(run.stderr).toContain(field);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe("the files a search and a retraining write", () => {
  it("pass their schemas when read back", async () => {
    expect(readRunConfig(searchDir).ok).toBe(true);
    expect((await loadCheckpoint(join(searchDir, "checkpoint"))).ok).toBe(true);
    expect(readRetrainRunConfig(retrainDir).ok).toBe(true);
    expect((await loadCheckpoint(join(retrainDir, "checkpoint"))).ok).toBe(true);
    const result = readRetrainResult(retrainDir);
    expect(result.ok && result.value.steps).toBe(2);
  });
});

describe("a corrupted field", () => {
  it("of run.json stops --resume and figs export, naming the file and the field", async () => {
    const steps = corrupted(searchDir, "run.json", ["settings", "batchSize"], 0);
    const resumed = await figs(["search", "--resume", "--out", steps, ...BACKEND]);
    expectNamed(resumed, join(steps, "run.json"), "/settings/batchSize: --batch must be a positive integer, got 0");
    const convention = corrupted(searchDir, "run.json", ["space", "convention"], "caffe");
    const exported = await figs(["export", convention, "--out", join(temp.dir, "never"), ...BACKEND]);
    expectNamed(exported, join(convention, "run.json"), "/space/convention must be equal to one of the allowed values");
  });

  it("of retrain.json stops --resume, naming the file and the field", async () => {
    const copy = corrupted(retrainDir, "retrain.json", ["data", "limit"], -5);
    const resumed = await figs(["retrain", "--resume", "--out", copy, ...BACKEND]);
    expectNamed(resumed, join(copy, "retrain.json"), "/data/limit: --limit must be a positive integer or null, got -5");
  });

  it("of a checkpoint manifest stops figs export and --resume, naming the file and the field", async () => {
    const manifest = join("checkpoint", "checkpoint.json");
    const search = corrupted(searchDir, manifest, ["weights", 0, "offset"], 3);
    const exported = await figs(["export", search, "--out", join(temp.dir, "never"), ...BACKEND]);
    expectNamed(exported, join(search, manifest), "/weights/0/offset must be multiple of 4");
    const retrain = corrupted(retrainDir, manifest, ["step"], "ten");
    const resumed = await figs(["retrain", "--resume", "--out", retrain, ...BACKEND]);
    expectNamed(resumed, join(retrain, manifest), "/step: its step or epoch is not a non-negative integer, got ten");
  });

  it("of result.json is an error value naming the file and the field", () => {
    const copy = corrupted(retrainDir, "result.json", ["testAccuracy"], 1.5);
    const read = readRetrainResult(copy);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.diagnostic.message).toBe(
      `${join(copy, "result.json")} is not a figs retrain result: /testAccuracy must be <= 1`,
    );
  });
});
