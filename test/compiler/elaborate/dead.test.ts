/**
 * Dead tensors (issue 13): a tensor that reaches no output is a warning at
 * its last node (golden), and it is not in the graph, so it costs nothing —
 * the space costs what the same space without it costs.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { compile } from "../../../compiler/index.js";
import { elaborateFixture, render, repoRoot } from "./fixtures.js";

const LIVE_ONLY = `
space s(width: int = 8) {
  input(16, 16, 3)
  conv(3, width) -> bn -> relu
  global_avgpool -> dense(10) fixed
}
`;

describe("dead tensors", () => {
  it("are warned about at the end of each dead chain, once per place", async () => {
    const result = elaborateFixture("warnings", "dead-tensors");
    expect(result.diagnostics.map((d) => [d.severity, d.code])).toEqual([
      ["warning", "FIGS2028"],
      ["warning", "FIGS2028"],
      ["warning", "FIGS2028"],
    ]);
    await expect(render(result)).toMatchFileSnapshot(
      join(repoRoot, "test/fixtures/warnings/dead-tensors/diagnostics.txt"),
    );
  });

  it("are dropped from the graph, which stays topologically numbered", () => {
    const { graph } = elaborateFixture("warnings", "dead-tensors");
    expect(graph!.nodes.map((n) => n.op)).toEqual(["input", "conv", "bn", "relu", "global_avgpool", "dense"]);
    graph!.nodes.forEach((node, index) => {
      expect(node.id).toBe(index);
      for (const input of node.inputs) expect(input).toBeLessThan(index);
    });
    expect(graph!.output).toBe(graph!.nodes.length - 1);
  });

  it("cost nothing: the space costs what it costs without them, in masks too", () => {
    const dead = compile({ path: "test/fixtures/warnings/dead-tensors/input.figs" });
    const live = compile({ path: "live.figs", text: LIVE_ONLY });
    expect(dead.ir!.costs).toEqual(live.ir!.costs);
    expect(dead.ir!.groups.map((g) => g.size)).toEqual(live.ir!.groups.map((g) => g.size));
  });
});
