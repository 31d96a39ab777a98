// How a persisted file that breaks its schema is reported: the file, then its
// format and version first, then the field as a JSON pointer with the rule in
// the words of its command-line option (the same words the option itself is
// refused in) or ajv's with what the schema expected.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRetrainSettings, DEFAULT_RETRAIN } from "../../../runtime/retrain/index.js";
import { checkSearchSettings, DEFAULT_SEARCH, readRunConfig, RUN_FILE } from "../../../runtime/search/index.js";
import { tempDir } from "../search/helpers.js";

const temp = tempDir("figs-json-schema-");
afterAll(() => temp.remove());

const RUN = {
  format: "figs-search-run",
  version: 2,
  space: { path: "/spaces/s.figs", name: "s", set: {}, convention: "torch", sources: [] },
  data: { spec: "mnist", limit: null, validation: null },
  settings: DEFAULT_SEARCH,
};

function messageOf(run: unknown, name: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, RUN_FILE), JSON.stringify(run));
  const read = readRunConfig(dir);
  if (read.ok) throw new Error(`${name}: read as valid`);
  return read.diagnostic.message.slice(join(dir, RUN_FILE).length);
}

describe("a run.json that breaks its schema", () => {
  it("is told its format or version before anything else", () => {
    expect(messageOf({ ...RUN, format: "figs-retrain-run", space: 1 }, "format")).toBe(
      ' is not a figs search run: its format is "figs-retrain-run", not "figs-search-run"',
    );
    expect(messageOf({ ...RUN, version: 3 }, "version")).toBe(
      " is not a figs search run: it has version 3; this figs reads versions 1 and 2",
    );
    expect(messageOf([RUN], "array")).toBe(" is not a figs search run: it is not a JSON object");
  });

  it("names the field, with its option's rule and the value, or with what the schema expected", () => {
    expect(messageOf({ ...RUN, settings: { ...DEFAULT_SEARCH, lambda: -1 } }, "lambda")).toBe(
      " is not a figs search run: /settings/lambda: --lambda must be a number ≥ 0, got -1",
    );
    expect(messageOf({ ...RUN, data: { spec: "mnist", validation: { count: 0 } } }, "validation")).toBe(
      ' is not a figs search run: /data/validation: the validation split must be { "count": N } or { "fraction": F }' +
        ', got {"count":0}',
    );
    expect(messageOf({ ...RUN, space: { ...RUN.space, convention: "caffe" } }, "convention")).toBe(
      ' is not a figs search run: /space/convention must be equal to one of the allowed values: "torch", "keras"',
    );
    expect(messageOf({ ...RUN, settings: { ...DEFAULT_SEARCH, epochs: 2 } }, "extra")).toBe(
      " is not a figs search run: /settings must NOT have additional properties 'epochs'",
    );
  });

  it("reads back older files with the settings they lack at their defaults", () => {
    const dir = join(temp.dir, "older");
    mkdirSync(dir);
    const { flip: _flip, cropPadding: _crop, ...older } = DEFAULT_SEARCH;
    writeFileSync(join(dir, RUN_FILE), JSON.stringify({ ...RUN, version: 1, settings: { ...older, lambda: 0 } }));
    const read = readRunConfig(dir);
    expect(read.ok && read.value.settings).toEqual({ ...DEFAULT_SEARCH, lambda: null });
  });
});

describe("settings from the command line", () => {
  it("are refused by the same rules, in the option's words", () => {
    const search = checkSearchSettings({ ...DEFAULT_SEARCH, steps: 0 });
    expect(!search.ok && search.diagnostic.message).toBe("--steps must be a positive integer, got 0");
    const retrain = checkRetrainSettings({ ...DEFAULT_RETRAIN, seed: 2 ** 60 });
    expect(!retrain.ok && retrain.diagnostic.message).toBe(`--seed must be a non-negative integer, got ${2 ** 60}`);
    expect(checkRetrainSettings({ ...DEFAULT_RETRAIN, steps: null }).ok).toBe(true);
  });
});
