/** The hand-built graphs behind the group goldens (test/fixtures/groups/<case>/), reused by cost tests. */
import type { Graph } from "../../../compiler/graph.js";
import { GraphBuilder } from "./graph-builder.js";

function residualAdd(): Graph {
  const b = new GraphBuilder("residual_add");
  const image = b.input(8, 8, 3);
  const x = b.chain(b.conv(image, 16, { k: 3, as: "stem" }), "bn", "relu");
  const f = b.within("block", "basic_1", () => {
    const h = b.chain(b.conv(x, 16, { k: 3 }), "bn", "relu");
    return b.unary("bn", b.conv(h, 16, { k: 3 }));
  });
  return b.build(b.unary("relu", b.sum([x, f])));
}

function bottleneck(b: GraphBuilder, x: number, width: number, project: boolean): number {
  return b.within("block", "bottleneck", () => {
    const h = b.chain(b.conv(x, width, { k: 1 }), "bn", "relu");
    const g = b.chain(b.conv(h, width, { k: 3 }), "bn", "relu");
    const f = b.unary("bn", b.conv(g, width * 2, { k: 1 }));
    const shortcut = project ? b.unary("bn", b.conv(x, width * 2, { k: 1, as: "projection" })) : x;
    return b.unary("relu", b.sum([shortcut, f]));
  });
}

function nestedResiduals(): Graph {
  const b = new GraphBuilder("nested_residuals");
  const image = b.input(8, 8, 3);
  const stem = b.chain(b.conv(image, 8, { k: 3, as: "stem" }), "bn", "relu");
  const outer = b.within("cell", "stage_1", () => {
    const first = bottleneck(b, stem, 4, true);
    const second = bottleneck(b, first, 4, false);
    return bottleneck(b, second, 4, false);
  });
  const wrapped = b.sum([outer, b.unary("bn", b.conv(stem, 8, { k: 1, as: "outer_projection" }))]);
  return b.build(wrapped);
}

function concatThenAdd(): Graph {
  const b = new GraphBuilder("concat_then_add");
  const x = b.input(4, 4, 3);
  const left = b.concat([b.conv(x, 8, { as: "a" }), b.conv(x, 24, { as: "b" })]);
  const right = b.concat([b.conv(x, 16, { as: "c" }), b.conv(x, 16, { as: "d" })]);
  const sum = b.sum([left, right]);
  return b.build(b.conv(sum, 4, { as: "head" }));
}

function depthwiseAfterConcat(): Graph {
  const b = new GraphBuilder("depthwise_after_concat");
  const x = b.input(8, 8, 3);
  const joined = b.concat([b.conv(x, 8, { as: "a" }), b.conv(x, 16, { as: "b" })]);
  const dw = b.chain(b.dwconv(joined, { k: 3 }), "bn", "relu");
  const doubled = b.unary("bn", b.dwconv(dw, { k: 3, stride: 2, multiplier: 2 }));
  return b.build(b.conv(doubled, 32, { as: "project" }));
}

function denseCell(): Graph {
  const b = new GraphBuilder("dense_cell");
  const image = b.input(8, 8, 3);
  const x = b.conv(image, 12, { k: 3, as: "stem" });
  const out = b.within("cell", "dense_cell_1", () => {
    const nodes = [x];
    for (let i = 0; i < 3; i++) {
      const joined = nodes.length === 1 ? (nodes[0] as number) : b.concat([...nodes]);
      nodes.push(b.chain(b.conv(joined, 6, { k: 1 }), "bn", "relu"));
    }
    return b.conv(b.concat(nodes.slice(1)), 12, { k: 1 });
  });
  return b.build(out);
}

function fixedClassifier(): Graph {
  const b = new GraphBuilder("fixed_classifier");
  const image = b.input(6, 6, 1);
  const features = b.chain(b.conv(image, 8, { k: 3, stride: 2 }), "bn", "relu");
  const pooled = b.dense(b.globalAvgpool(features), 16, { as: "hidden" });
  const logits = b.dense(b.unary("relu", pooled), 10, { fixed: true, as: "logits" });
  const flat = b.flatten(features);
  const side = b.dense(flat, 10, { fixed: true, as: "side_logits" });
  return b.build(b.sum([logits, side]));
}

function addToInput(): Graph {
  const b = new GraphBuilder("add_to_input");
  const image = b.input(4, 4, 3);
  const f = b.unary("bn", b.conv(b.unary("relu", b.conv(image, 8)), 3, { as: "back_to_rgb" }));
  return b.build(b.conv(b.sum([image, f]), 8, { as: "after" }));
}

/** ResNeXt's bottleneck: a 1×1 conv feeding a conv of 4 groups, each channel-within-group one mask on both sides. */
function groupedConv(): Graph {
  const b = new GraphBuilder("grouped_conv");
  const image = b.input(8, 8, 3);
  const reduce = b.chain(b.conv(image, 16, { k: 1, as: "reduce" }), "bn", "relu");
  const grouped = b.chain(b.conv(reduce, 8, { k: 3, groups: 4, as: "grouped" }), "bn", "relu");
  return b.build(b.conv(grouped, 6, { k: 1, as: "expand" }));
}

/** Squeeze-and-excitation: the gate's expand conv joins the group of the channels it scales. */
function squeezeExcite(): Graph {
  const b = new GraphBuilder("squeeze_excite");
  const image = b.input(8, 8, 3);
  const x = b.chain(b.conv(image, 12, { k: 3, as: "features" }), "bn", "relu");
  const squeezed = b.unary("relu", b.conv(b.globalAvgpool(x), 4, { k: 1, bias: true, as: "squeeze" }));
  const gate = b.unary("sigmoid", b.conv(squeezed, 12, { k: 1, bias: true, as: "excite" }));
  return b.build(b.conv(b.product([x, gate]), 8, { k: 1, as: "project" }));
}

/** Operator gates on the branches of a concat and on a residual branch. */
function operatorGates(): Graph {
  const b = new GraphBuilder("operator_gates");
  const image = b.input(8, 8, 3);
  const stem = b.chain(b.conv(image, 8, { k: 3, as: "stem" }), "bn", "relu");
  const convolved = b.unary("gate", b.chain(b.conv(stem, 6, { k: 3 }), "bn", "relu"));
  const pooled = b.unary("gate", b.pool("maxpool", stem, { k: 3 }));
  const joined = b.concat([convolved, pooled, b.unary("gate", stem), b.unary("identity", stem)]);
  const x = b.chain(b.conv(joined, 8, { k: 1, as: "joined" }), "bn", "relu");
  const branch = b.unary("gate", b.unary("bn", b.conv(x, 8, { k: 3 })));
  return b.build(b.dense(b.globalAvgpool(b.sum([x, branch])), 10, { fixed: true }));
}

export const GROUP_CASES: Record<string, () => Graph> = {
  operator_gates: operatorGates,
  grouped_conv: groupedConv,
  squeeze_excite: squeezeExcite,
  residual_add: residualAdd,
  nested_residuals: nestedResiduals,
  concat_then_add: concatThenAdd,
  depthwise_after_concat: depthwiseAfterConcat,
  dense_cell: denseCell,
  fixed_classifier: fixedClassifier,
  add_to_input: addToInput,
};
