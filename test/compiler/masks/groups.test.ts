import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { placeMasks, layoutChannels, type MaskPlan } from "../../../compiler/masks/index.js";
import { formatMaskPlan } from "../../../compiler/masks/format.js";
import type { Graph } from "../../../compiler/graph.js";
import { GROUP_CASES } from "./cases.js";
import { GraphBuilder } from "./graph-builder.js";
import { compile } from "../../../compiler/index.js";

const fixtures = join(import.meta.dirname, "..", "..", "fixtures", "groups");

function plan(graph: Graph): MaskPlan {
  const result = placeMasks(graph);
  expect(result.diagnostics).toEqual([]);
  if (!result.plan) throw new Error("no plan");
  return result.plan;
}

function groupNamed(p: MaskPlan, name: string) {
  const group = p.groups.find((g) => g.name === name);
  if (!group) throw new Error(`no group ${name} in ${p.groups.map((g) => g.name).join(", ")}`);
  return group;
}

/** What a group table says, without node ids: sizes, searchability and how many producer ranges share each group. */
function groupShape(p: MaskPlan): string[] {
  return p.groups.map((g) => `${g.size}:${g.searchable}:${g.producers.length}`).sort();
}

describe("group goldens", () => {
  for (const [name, build] of Object.entries(GROUP_CASES)) {
    const folder = join(fixtures, name);
    it(`${name}: from input.figs`, async () => {
      const result = compile({ path: join(folder, "input.figs") });
      expect(result.diagnostics).toEqual([]);
      const { graph, plan: p } = result.stages!;
      graph.nodes.forEach((node) => expect(layoutChannels(p.layouts[node.id] ?? [])).toBe(node.shape.channels));
      await expect(formatMaskPlan(graph, p)).toMatchFileSnapshot(join(folder, "groups.txt"));
      expect(groupShape(p)).toEqual(groupShape(plan(build())));
    });

    it(`${name}: from the hand-built graph`, async () => {
      const graph = build();
      const p = plan(graph);
      graph.nodes.forEach((node) => expect(layoutChannels(p.layouts[node.id] ?? [])).toBe(node.shape.channels));
      await expect(formatMaskPlan(graph, p)).toMatchFileSnapshot(join(folder, "built.txt"));
    });
  }
});

describe("mask placement", () => {
  it("a residual add gives the stem and the block's last conv one group", () => {
    const p = plan(GROUP_CASES["residual_add"]!());
    const stem = groupNamed(p, "stem");
    expect(stem.producers.map((r) => r.node)).toEqual([1, 7]);
    expect(stem.searchable).toBe(true);
    expect(p.groups.filter((g) => g.searchable)).toHaveLength(2);
  });

  it("concat then add splits slices where the boundaries differ", () => {
    const p = plan(GROUP_CASES["concat_then_add"]!());
    const sizes = p.groups
      .filter((g) => g.searchable && g.name !== "head")
      .map((g) => [g.name, g.size, g.producers.length]);
    expect(sizes).toEqual([
      ["a", 8, 2],
      ["b[0:8]", 8, 2],
      ["b[8:24]", 16, 2],
    ]);
    // a ≡ c[0:8], b[0:8] ≡ c[8:16], b[8:24] ≡ d
    expect(groupNamed(p, "b[0:8]").producers).toEqual([
      { node: 2, start: 0, end: 8 },
      { node: 4, start: 8, end: 16 },
    ]);
  });

  it("split points propagate to a fixpoint through chains of adds", () => {
    const b = new GraphBuilder("fixpoint");
    const x = b.input(2, 2, 1);
    const [p, q, r, s] = [
      b.conv(x, 4, { as: "p" }),
      b.conv(x, 2, { as: "q" }),
      b.conv(x, 3, { as: "r" }),
      b.conv(x, 3, { as: "s" }),
    ];
    const whole = b.conv(x, 6, { as: "whole" });
    b.sum([b.concat([p, q]), whole]); // whole = [4 | 2]
    b.sum([b.concat([r, s]), whole]); // whole = [3 | 3] → cuts 3 and 4 everywhere
    const result = plan(b.build());
    const sizes = result.groups.filter((g) => g.searchable).map((g) => g.size);
    expect(sizes.reduce((a, c) => a + c, 0)).toBe(6);
    expect(
      groupNamed(result, "p[0:3]")
        .producers.map((r) => r.node)
        .sort(),
    ).toEqual([p, r, whole].sort());
    expect(groupNamed(result, "p[3:4]").producers.map((r) => `${r.node}:${r.start}`)).toEqual([
      `${p}:3`,
      `${s}:0`,
      `${whole}:3`,
    ]);
    expect(groupNamed(result, "q").producers.map((r) => `${r.node}:${r.start}`)).toEqual([
      `${q}:0`,
      `${s}:1`,
      `${whole}:4`,
    ]);
  });

  it("an add with the input image makes the unified group non-searchable", () => {
    const p = plan(GROUP_CASES["add_to_input"]!());
    const image = p.groups[0]!;
    expect(image.searchable).toBe(false);
    expect(image.producers.map((r) => r.node)).toEqual([0, 3]);
  });

  it("flatten and dwconv multipliers repeat group channels", () => {
    const p = plan(GROUP_CASES["fixed_classifier"]!());
    const flat = p.layouts.find((_, id) => id === 8)!;
    expect(flat).toEqual([{ group: 1, size: 8, repeat: 9 }]);
    const dw = plan(GROUP_CASES["depthwise_after_concat"]!());
    expect(dw.layouts[8]).toEqual([
      { group: 1, size: 8, repeat: 2 },
      { group: 2, size: 16, repeat: 2 },
    ]);
  });

  it("reports adds of differently replicated channels instead of guessing", () => {
    const b = new GraphBuilder("bad");
    const x = b.conv(b.input(2, 2, 1), 4);
    b.sum([b.dwconv(x, { k: 1, multiplier: 2 }), b.conv(x, 8)]);
    const result = placeMasks(b.build());
    expect(result.plan).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code)).toEqual(["FIGS3501"]);
    expect(result.diagnostics[0]?.notes).toHaveLength(2);
  });

  it("reports adds of different widths (a defence: elaboration checks them first)", () => {
    const b = new GraphBuilder("bad");
    const x = b.input(2, 2, 1);
    b.sum([b.conv(x, 4), b.conv(x, 5)]);
    expect(placeMasks(b.build()).diagnostics.map((d) => d.code)).toEqual(["FIGS3502"]);
  });

  it("groups every producer channel exactly once", () => {
    for (const build of Object.values(GROUP_CASES)) {
      const graph = build();
      const p = plan(graph);
      for (const node of graph.nodes.filter((n) => n.op === "conv" || n.op === "dense" || n.op === "input")) {
        const ranges = p.groups.flatMap((g) =>
          g.producers.filter((r) => r.node === node.id).map((r) => [r.start, r.end, g.size]),
        );
        ranges.sort((a, c) => a[0]! - c[0]!);
        let at = 0;
        for (const [start, end, size] of ranges) {
          expect([start, end! - start!]).toEqual([at, size]);
          at = end!;
        }
        expect(at).toBe(node.shape.channels);
      }
    }
  });
});
