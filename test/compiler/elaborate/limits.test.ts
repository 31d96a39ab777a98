/**
 * The node limit. Elaborating a real 120,001-node space takes seconds (every
 * node is named, shaped and kept), too slow for a unit test, so this checks
 * the two halves instead: elaboration hands the graph builder DEFAULT_LIMITS'
 * 120,000 unless a request lowers it, and the builder stops exactly at
 * whatever limit it is given. (The limit is sized by bench/limits: figs
 * compile of a space at the limit stays under 10 s and 1 GB.)
 */
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_LIMITS, elaborate } from "../../../compiler/elaborate/index.js";
import type * as GraphBuilderModule from "../../../compiler/elaborate/graph-builder.js";

const builtWith = vi.hoisted(() => [] as number[]);

vi.mock("../../../compiler/elaborate/graph-builder.js", async (importOriginal) => {
  const original = await importOriginal<typeof GraphBuilderModule>();
  class RecordingBuilder extends original.GraphBuilder {
    constructor(...args: ConstructorParameters<typeof original.GraphBuilder>) {
      super(...args);
      builtWith.push(args[1]);
    }
  }
  return { ...original, GraphBuilder: RecordingBuilder };
});

const loop = (n: number) => `space s() {\n  input(1, 1, 1)\n  for i in 0..${n} { relu }\n}\n`;
const codes = (result: ReturnType<typeof elaborate>) => result.diagnostics.map((d) => d.code);

describe("the node limit", () => {
  it("is 120,000 primitive nodes by default, and elaboration uses it", () => {
    expect(DEFAULT_LIMITS.maxNodes).toBe(120_000);
    builtWith.length = 0;
    expect(codes(elaborate({ path: "s.figs", text: loop(3) }))).toEqual([]);
    expect(builtWith).toEqual([120_000]);
    elaborate({ path: "s.figs", text: loop(3), limits: { maxSteps: 1_000 } });
    expect(builtWith).toEqual([120_000, 120_000]);
  });

  it("allows exactly the limit and reports the node past it, once, at the op that made it", () => {
    const limits = { maxNodes: 1_000 };
    expect(elaborate({ path: "s.figs", text: loop(999), limits }).graph?.nodes).toHaveLength(1_000); // input + 999
    const over = elaborate({ path: "s.figs", text: loop(1_000), limits });
    expect(over.graph).toBeUndefined();
    expect(codes(over)).toEqual(["FIGS4001"]);
    expect(over.diagnostics[0]?.message).toBe(
      "the space has more than 1,000 primitive nodes; make it smaller or check loops and recursion",
    );
    expect(over.diagnostics[0]?.range?.start).toMatchObject({ line: 3, column: 22 }); // the relu
  });

  it("stops a loop far past the limit with one diagnostic, not one per iteration", () => {
    const runaway = elaborate({ path: "s.figs", text: loop(100_000), limits: { maxNodes: 100 } });
    expect(codes(runaway)).toEqual(["FIGS4001"]);
  });
});
