/** A search run's recorded settings bring back the IR it started from, cost convention included. */
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../../../compiler/index.js";
import { compileRunSpace } from "../../../cli/inputs/index.js";
import { DEFAULT_SEARCH, readRunConfig, runConfig, writeRunConfig } from "../../../runtime/search/index.js";
import { SMALL_SET, SMALL_SPACE, tempDir } from "./helpers.js";

const temp = tempDir("figs-run-config-");
afterAll(() => temp.remove());

describe("run config", () => {
  for (const convBias of [false, true]) {
    it(`recompiles the space with the same costs (keras${convBias ? ",conv-bias" : ""})`, () => {
      const path = resolve(SMALL_SPACE);
      const started = compile({ path, set: SMALL_SET }, { convention: "keras", convBias });
      expect(started.ir).toBeDefined();
      writeRunConfig(temp.dir, runConfig(started.ir!, path, SMALL_SET, { spec: "mnist", limit: 100 }, DEFAULT_SEARCH));
      const config = readRunConfig(temp.dir);
      expect(config.ok).toBe(true);
      if (!config.ok) return;
      const resumed = compileRunSpace(config.value, temp.dir);
      expect(resumed.diagnostics).toEqual([]);
      expect(resumed.ir!.costs.convBias === true).toBe(convBias);
      expect(resumed.ir!.costs.full).toEqual(started.ir!.costs.full);
    });
  }
});
