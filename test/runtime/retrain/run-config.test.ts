// retrain.json: what `figs retrain --resume` continues with. It round-trips,
// fills settings added later with their defaults, refuses bad values (it is
// a file users can edit), and notices an architecture file that changed.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkSameArchitecture,
  DEFAULT_RETRAIN,
  readRetrainRunConfig,
  RETRAIN_RUN_FILE,
  retrainRunConfig,
  writeRetrainRunConfig,
} from "../../../runtime/retrain/index.js";
import { tempDir } from "../search/helpers.js";

const temp = tempDir("figs-retrain-config-");
afterAll(() => temp.remove());

function setUp(name: string): { dir: string; arch: string } {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  const arch = join(dir, "arch.json");
  writeFileSync(arch, "{}\n");
  return { dir, arch };
}

const DATA = { spec: "mnist", limit: 500, testLimit: null, validation: { fraction: 0.1 } } as const;
const SETTINGS = { ...DEFAULT_RETRAIN, steps: 30, cropPadding: 4, flip: true };

describe("retrain.json", () => {
  it("reads back what was written", () => {
    const { dir, arch } = setUp("round-trip");
    const config = retrainRunConfig({ path: arch, space: null }, DATA, SETTINGS);
    expect(config.ok).toBe(true);
    if (!config.ok) return;
    writeRetrainRunConfig(dir, config.value);
    expect(readRetrainRunConfig(dir)).toEqual({ ok: true, value: config.value });
    expect(checkSameArchitecture(config.value, dir).ok).toBe(true);
  });

  it("fills settings it does not name with their defaults", () => {
    const { dir, arch } = setUp("older");
    const config = retrainRunConfig({ path: arch, space: null }, DATA, SETTINGS);
    if (!config.ok) throw new Error(config.diagnostic.message);
    const { cropPadding: _crop, flip: _flip, ...older } = config.value.settings;
    const { validation: _validation, ...data } = config.value.data;
    writeFileSync(join(dir, RETRAIN_RUN_FILE), JSON.stringify({ ...config.value, data, settings: older }));
    const read = readRetrainRunConfig(dir);
    expect(read.ok && read.value.settings).toMatchObject({ cropPadding: 0, flip: false, steps: 30 });
    expect(read.ok && read.value.data.validation).toBe(null);
  });

  it.each([
    [{ cropPadding: -1 }, "--crop must be a non-negative integer"],
    [{ batchSize: 0 }, "--batch must be a positive integer"],
    [{ learningRate: "fast" }, "--lr must be a positive number"],
  ])("refuses an edited file with %o", (edit, message) => {
    const { dir, arch } = setUp(`bad-${Object.keys(edit)[0]}`);
    const config = retrainRunConfig({ path: arch, space: null }, DATA, SETTINGS);
    if (!config.ok) throw new Error(config.diagnostic.message);
    writeFileSync(
      join(dir, RETRAIN_RUN_FILE),
      JSON.stringify({ ...config.value, settings: { ...config.value.settings, ...edit } }),
    );
    const read = readRetrainRunConfig(dir);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.diagnostic.message).toContain(message);
  });

  it("refuses a bad validation split and a file that is not a retrain run", () => {
    const { dir, arch } = setUp("bad-validation");
    const config = retrainRunConfig({ path: arch, space: null }, DATA, SETTINGS);
    if (!config.ok) throw new Error(config.diagnostic.message);
    writeFileSync(
      join(dir, RETRAIN_RUN_FILE),
      JSON.stringify({ ...config.value, data: { ...DATA, validation: { fraction: 2 } } }),
    );
    expect(readRetrainRunConfig(dir).ok).toBe(false);
    writeFileSync(join(dir, RETRAIN_RUN_FILE), JSON.stringify({ format: "figs-search-run", version: 1 }));
    const read = readRetrainRunConfig(dir);
    expect(!read.ok && read.diagnostic.message).toContain("is not a figs retrain run");
  });

  it("notices that the architecture file changed since the run started", () => {
    const { dir, arch } = setUp("changed");
    const config = retrainRunConfig({ path: arch, space: null }, DATA, SETTINGS);
    if (!config.ok) throw new Error(config.diagnostic.message);
    writeFileSync(arch, `${readFileSync(arch, "utf8")} `);
    const same = checkSameArchitecture(config.value, dir);
    expect(!same.ok && same.diagnostic.message).toContain("has changed since");
  });
});
