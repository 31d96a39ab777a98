/**
 * Golden elaborated graphs: test/fixtures/elaborate/<case>/input.figs (plus
 * imported files and an optional options.json) → graph.txt, one line per node.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { formatGraph } from "../../../compiler/elaborate/index.js";
import { elaborateFixture, fixtureCases, render, repoRoot } from "./fixtures.js";

describe("elaborated graphs", () => {
  for (const name of fixtureCases("elaborate")) {
    it(name, async () => {
      const result = elaborateFixture("elaborate", name);
      expect(render(result)).toBe("\n");
      expect(result.graph).toBeDefined();
      await expect(formatGraph(result.graph!)).toMatchFileSnapshot(
        join(repoRoot, "test/fixtures/elaborate", name, "graph.txt"),
      );
    });
  }
});
