/**
 * Property tests of the formatter (defined in properties.ts, shared with
 * `npm run fuzz`). Each runs from a fixed seed, so `npm test` sees the same
 * inputs every time; fast-check's failure message names the seed and path
 * that replay it. `npm run fuzz` explores other seeds.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commentsAnywhere, commentsAnywhereProperty, roundTrip, roundTripProperty } from "./properties.js";
import { fmt } from "./helpers.js";

describe("printing random ASTs", () => {
  it("reads back as the same tree, and is already formatted", async () => {
    await fc.assert(roundTripProperty(), { seed: roundTrip.seed, numRuns: roundTrip.numRuns });
  });

  it("adds no parentheses to a tree that needs none", async () => {
    const printed = await fmt("let x = a + b * c ** -d[1] - (e - f) and not g or h == i");
    expect(printed).toBe("let x = a + b * c ** -d[1] - (e - f) and not g or h == i\n");
  });
});

describe("comments anywhere", () => {
  it("keep the formatting laws", async () => {
    await fc.assert(commentsAnywhereProperty(), { seed: commentsAnywhere.seed, numRuns: commentsAnywhere.numRuns });
  });

  it("keep them where a seed once found a bug (issue #11)", async () => {
    // The exact failure from a random run, now the golden case comment-inside-then; here at a narrow width too.
    const text = "block b() {\n  if true # c1\n { # c0\n } else { }\n}\n";
    expect(await commentsAnywhere.stillFails?.(text)).toBe(false);
    expect(await commentsAnywhere.stillFails?.(text, 20)).toBe(false);
  });
});
