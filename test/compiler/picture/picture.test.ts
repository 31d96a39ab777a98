import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile, CostModel, fullWidths, type CompileStages } from "../../../compiler/index.js";
import {
  buildPicture,
  FIXED_COLOUR,
  pictureDot,
  pictureSize,
  quote,
  spaceDot,
  withHoverTitles,
  type Picture,
  type PictureBox,
  type PictureCluster,
} from "../../../compiler/picture/index.js";

const repoRoot = join(import.meta.dirname, "..", "..", "..");

/** Compiled from the repository's file, with the path shown as relative (so goldens do not name this machine). */
function stagesOf(file: string, set: Record<string, string> = {}): CompileStages {
  const text = readFileSync(join(repoRoot, file), "utf8");
  const result = compile({ path: file, text, set }, { until: "costs" });
  expect(result.diagnostics).toEqual([]);
  return result.stages!;
}

function allBoxes(picture: Pick<Picture, "clusters" | "boxes">): PictureBox[] {
  return [...picture.boxes, ...picture.clusters.flatMap(allBoxes)];
}

function allClusters(picture: Pick<Picture, "clusters">): PictureCluster[] {
  return picture.clusters.flatMap((cluster) => [cluster, ...allClusters(cluster)]);
}

/** Box id → the labels of the clusters around it, outermost first, read back from the DOT text. */
function clusterPaths(dot: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const stack: string[] = [];
  let pending = false;
  for (const line of dot.split("\n")) {
    if (/^\s*subgraph cluster_\d+ \{$/.test(line)) pending = true;
    else if (pending) {
      stack.push(/label="([^"]*)"/.exec(line)![1]!);
      pending = false;
    } else if (/^\s*\}$/.test(line)) stack.pop();
    const box = /^\s*([nc]\d+) \[/.exec(line);
    if (box) paths.set(box[1]!, [...stack]);
  }
  return paths;
}

function tooltipOf(dot: string, id: string): string {
  return new RegExp(`^\\s*${id} \\[.*tooltip="([^"]*)"`, "m").exec(dot)![1]!;
}

function count(text: string): number {
  return Number(text.replace(/,/g, ""));
}

describe("the DOT of a space", () => {
  const stages = stagesOf("examples/resnet_bottleneck.figs", { blocks: "1" });
  const dot = spaceDot(stages);

  it("is stable (test/compiler/picture/fixtures/resnet_small.dot)", async () => {
    await expect(dot).toMatchFileSnapshot("fixtures/resnet_small.dot");
  });

  it("draws every op once, in the clusters of the instances it was created in", () => {
    const paths = clusterPaths(dot);
    expect(paths.size).toBe(stages.graph.nodes.length);
    for (const node of stages.graph.nodes) {
      const inner = node.scopes.filter((scope) => scope.kind !== "space").map((scope) => scope.name);
      expect(paths.get(`n${node.id}`), node.name).toEqual(inner);
    }
    expect(dot).toContain('subgraph cluster_0 {\n    graph [label="bottleneck_0", style="rounded"');
  });

  it("labels ops with what they do and their output shape", () => {
    expect(dot).toContain('n1 [label="conv 3x3 → 32x32x16\\nstem · g1"');
    expect(dot).toMatch(/label="conv 3x3 \/2 → 16x16x32\\ng\d+"/);
    expect(dot).toMatch(/label="dense → 1x1x10\\nlogits · fixed", fillcolor="#d9d9d9"/);
  });

  it("fills each op with its mask group's colour: one colour per group, grey for fixed widths", () => {
    const picture = buildPicture(stages);
    const colourOf = new Map<string, string>();
    for (const box of allBoxes(picture)) {
      const tag = box.label[1]!.split(" · ").pop()!;
      expect(box.fills).toHaveLength(1);
      if (tag === "fixed") expect(box.fills[0]!.colour).toBe(FIXED_COLOUR);
      else expect(box.fills[0]!.colour).not.toBe(FIXED_COLOUR);
      if (colourOf.has(tag)) expect(box.fills[0]!.colour, tag).toBe(colourOf.get(tag));
      colourOf.set(tag, box.fills[0]!.colour);
    }
    // The residual sum unifies the block's output with its shortcut: both in one group.
    const add = stages.graph.nodes.find((node) => node.op === "add")!;
    const [left, right] = add.inputs.map((id) => tooltipOf(dot, `n${id}`).split("\\n").pop());
    expect(left).toBe(right);
  });

  it("puts each op's cost at full width in its tooltip; they add up to the space's cost", () => {
    const totals = new CostModel(stages.plan.groups, stages.cost).atWidths(fullWidths(stages.plan.groups));
    let params = 0;
    let madds = 0;
    for (const node of stages.graph.nodes) {
      const lines = tooltipOf(dot, `n${node.id}`).split("\\n");
      expect(lines[0]).toMatch(new RegExp(`^%${node.id} ${node.name} = ${node.op}`));
      expect(lines[1]).toMatch(/^examples\/resnet_bottleneck\.figs:\d+:\d+$/);
      const cost = /^params ([\d,]+) · madds ([\d,]+) at full width$/.exec(lines[2]!)!;
      params += count(cost[1]!);
      madds += count(cost[2]!);
      expect(lines[3]).toMatch(/^mask group g\d+ \(.+\): \d+ channels/);
    }
    expect({ params, madds }).toEqual({ params: totals.params, madds: totals.madds });
    expect(dot).toContain(`params ${totals.params.toLocaleString("en-US")} · madds`);
  });

  it("sums the cost of a cluster's ops into its tooltip", () => {
    const picture = buildPicture(stages);
    const cluster = allClusters(picture)[0]!;
    const boxes = allBoxes(cluster);
    const sum = (i: number) =>
      boxes.reduce((total, box) => total + count(/([\d,]+)/.exec(box.hover[2]!.split(" · ")[i]!)![1]!), 0);
    const [params, madds] = [sum(0).toLocaleString("en-US"), sum(1).toLocaleString("en-US")];
    expect(cluster.hover).toEqual([
      "bottleneck_0: block bottleneck",
      `${boxes.length} ops · params ${params} · madds ${madds} at full width`,
    ]);
  });

  it("writes no tooltips when asked not to (the SVG carries them as titles)", () => {
    expect(pictureDot(buildPicture(stages), { tooltips: false })).not.toContain("tooltip=");
  });
});

describe("--depth", () => {
  const stages = stagesOf("examples/mbconv.figs");

  it("draws each instance deeper than the depth as one box with its summed cost", () => {
    const full = buildPicture(stages);
    const picture = buildPicture(stages, { depth: 0 });
    expect(picture.clusters).toEqual([]);
    const collapsed = picture.boxes.filter((box) => box.collapsed);
    expect(collapsed.map((box) => box.label[0])).toEqual(full.clusters.map((cluster) => cluster.label));
    expect(collapsed[0]!.label[1]).toBe("8 ops → 16x16x16");
    expect(collapsed[0]!.hover.slice(0, 2)).toEqual(full.clusters[0]!.hover);
    expect(pictureDot(picture)).toMatch(
      /c0 \[label="mbconv_0\\n8 ops → 16x16x16", fillcolor="#[0-9a-f]+", peripheries=2/,
    );
    expect(picture.label[4]).toBe("double border: an instance nested deeper than 0 levels, drawn as one box");
  });

  it("keeps one edge between two boxes and none inside a collapsed one", () => {
    const picture = buildPicture(stages, { depth: 1 });
    // 10 ops outside any block, 10 mbconv blocks of one collapsed op each, 5 of them with a residual add.
    expect(pictureSize(picture)).toEqual({ boxes: 10 + 10 + 5, clusters: 10 });
    const keys = picture.edges.map(([from, to]) => `${from}>${to}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const [from, to] of picture.edges) expect(from).not.toBe(to);
  });
});

describe("channels from several groups", () => {
  it("stripe a box, each colour as wide as its share of the channels", () => {
    const dot = spaceDot(stagesOf("examples/one_shot_cell.figs"));
    // Three separable branches (a group each), then avgpool, maxpool and identity of the cell's input (one group).
    const concat = /label="concat → 16x16x96\\ng3 \+ g5 \+ g7 \+ g1", style="striped", fillcolor="([^"]*)"/.exec(dot);
    expect(concat).not.toBeNull();
    const stripes = concat![1]!.split(":");
    expect(stripes).toHaveLength(4);
    const shares = stripes.slice(0, -1).map((stripe) => Number(stripe.split(";")[1]));
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1);
    expect(shares.every((share) => share > 0)).toBe(true);
  });
});

describe("large pictures", () => {
  it("ask Graphviz for a quicker layout", () => {
    expect(spaceDot(stagesOf("spaces/one_shot.figs"))).toContain("nslimit=2");
    expect(spaceDot(stagesOf("examples/mbconv.figs"))).not.toContain("nslimit");
  });
});

describe("DOT text and SVG titles", () => {
  it("quotes DOT strings", () => {
    expect(quote('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
  });

  it("puts hover texts into the SVG's titles and drops the edges' ones", () => {
    const picture: Picture = {
      space: "s",
      label: ["s"],
      hover: ["space s", "total"],
      clusters: [
        {
          id: "cluster_0",
          kind: "block",
          label: "b",
          hover: ["block b"],
          clusters: [],
          boxes: [box("n1", "a < b & c")],
        },
      ],
      boxes: [box("c0", "collapsed")],
      edges: [["n1", "c0"]],
    };
    const svg = [
      '<g id="graph0" class="graph" transform="scale(1 1)">',
      "<title>s</title>",
      '<g id="clust1" class="cluster">',
      "<title>cluster_0</title>",
      "</g>",
      '<g id="node1" class="node">',
      "<title>n1</title>",
      "</g>",
      '<g id="node2" class="node">',
      "<title>c0</title>",
      "</g>",
      '<g id="edge1" class="edge">',
      "<title>n1&#45;&gt;c0</title>",
      "<path/>",
      "</g>",
      "</g>",
    ].join("\n");
    expect(withHoverTitles(svg, picture)).toBe(
      [
        '<g id="graph0" class="graph" transform="scale(1 1)">',
        "<title>space s\ntotal</title>",
        '<g id="clust1" class="cluster">',
        "<title>block b</title>",
        "</g>",
        '<g id="node1" class="node">',
        "<title>a &lt; b &amp; c\nline 2</title>",
        "</g>",
        '<g id="node2" class="node">',
        "<title>collapsed\nline 2</title>",
        "</g>",
        '<g id="edge1" class="edge">',
        "<path/>",
        "</g>",
        "</g>",
      ].join("\n"),
    );
  });
});

function box(id: string, hover: string): PictureBox {
  return { id, label: [id], fills: [{ colour: "#ffffff", share: 1 }], collapsed: false, hover: [hover, "line 2"] };
}
