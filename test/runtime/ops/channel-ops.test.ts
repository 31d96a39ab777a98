/**
 * Issue 13's channel ops: `channel_shuffle`, `split`, `layer_norm`,
 * `layer_scale` and conv/dwconv `dilation`. Each against its definition in
 * plain numbers, with their masks and diagnostics. Exports of them:
 * channel-ops-export.test.ts.
 */
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import type { Ir } from "../../../compiler/index.js";
import { emitModel } from "../../../runtime/emit/index.js";
import { compileText, useCpu } from "../export/helpers.js";

beforeAll(useCpu);

function irOf(body: string, input = "input(6, 5, 12)"): Ir {
  const { ir, diagnostics } = compileText(`space s() {\n  ${input}\n  ${body}\n}\n`);
  expect(diagnostics).toEqual([]);
  return ir!;
}

function run(ir: Ir, x: tf.Tensor): number[][][][] {
  const model = emitModel(ir.nodes, ir.output, "s");
  const y = (model.predict(x) as tf.Tensor).arraySync() as number[][][][];
  model.dispose();
  return y;
}

const image = (h: number, w: number, c: number) => tf.randomNormal([2, h, w, c], 0, 1, "float32", 5);

describe("channel_shuffle", () => {
  it("puts input channel g·(C/G) + k at k·G + g, as PyTorch's reshape-transpose", () => {
    const x = image(6, 5, 12);
    const y = run(irOf("channel_shuffle(3)"), x);
    const xs = x.arraySync() as number[][][][];
    for (let k = 0; k < 4; k++)
      for (let g = 0; g < 3; g++) expect(y[1]![2]![3]![k * 3 + g]).toBe(xs[1]![2]![3]![g * 4 + k]);
  });

  it("ties channel k of every group to one mask: the output repeats each G times", () => {
    const ir = irOf("conv(1, 12) -> channel_shuffle(3)");
    const layout = ir.nodes[2]!.layout;
    expect(layout).toEqual([{ group: 1, size: 4, repeat: 3 }]);
    expect(ir.groups[1]!.producers.map((p) => [p.start, p.end])).toEqual([
      [0, 4],
      [4, 8],
      [8, 12],
    ]);
  });

  it("refuses channels that do not divide into its groups", () => {
    const { diagnostics } = compileText("space s() {\n  input(4, 4, 10)\n  channel_shuffle(3)\n}\n");
    expect(diagnostics.map((d) => d.code)).toEqual(["FIGS3009"]);
  });
});

describe("split", () => {
  it("takes part i of P equal parts, counted from 1 (PyTorch's chunk(P, dim=1)[i - 1])", () => {
    const x = image(6, 5, 12);
    const xs = x.arraySync() as number[][][][];
    for (const part of [1, 2, 3]) {
      const y = run(irOf(`split(3, ${part})`), x);
      expect(y[0]![5]![4]!).toEqual(xs[0]![5]![4]!.slice((part - 1) * 4, part * 4));
    }
  });

  it("ties channel j of every part, and its layout is its part of the input's", () => {
    const ir = irOf("conv(1, 8) -> split(2, 2)");
    expect(ir.nodes[2]!.layout).toEqual([{ group: 1, size: 4, repeat: 1 }]);
    expect(ir.groups[1]!.producers.map((p) => [p.start, p.end])).toEqual([
      [0, 4],
      [4, 8],
    ]);
  });

  it("refuses a part boundary inside a repeated channel", () => {
    const { diagnostics } = compileText(
      "space s() {\n  input(4, 4, 3)\n  conv(1, 3) -> dwconv(3, multiplier: 2) -> split(2, 1)\n}\n",
    );
    expect(diagnostics.map((d) => d.code)).toEqual(["FIGS3501"]);
  });
});

describe("ShuffleNetV2's units one after another", () => {
  // The second shuffle ties the previous shuffle's twice-repeated masks with the branch conv's own: FIGS3501
  // (docs/language.md, "Channel shuffle and split").
  it("are FIGS3501 at the second unit's shuffle, the documented limit of exact masks", () => {
    const unit =
      "  let left = split(2, 1)\n" +
      "  let right = split(2, 2) -> conv(1, 8) -> bn -> relu -> dwconv(3) -> bn -> conv(1, 8) -> bn -> relu\n" +
      "  concat([left, right]) -> channel_shuffle(2)\n";
    const text = `space s() {\n  input(8, 8, 3)\n  conv(1, 16)\n${unit}${unit}  global_avgpool -> dense(4) fixed\n}\n`;
    const { diagnostics } = compileText(text);
    expect(diagnostics.map((d) => [d.code, d.range?.start.line])).toEqual([["FIGS3501", 9]]);
  });
});

describe("shuffles and splits of channels without masks", () => {
  it("move them channel by channel, as one unsearchable group; units with fixed outputs follow one another", () => {
    const unit =
      "  let left = split(2, 1)\n" +
      "  let right = split(2, 2) -> conv(1, 4) -> bn -> relu -> dwconv(3) -> bn -> conv(1, 4) fixed -> bn -> relu\n" +
      "  concat([left, right]) -> channel_shuffle(2)\n";
    const body = `  input(8, 8, 3)\n  conv(1, 8) fixed\n${unit}${unit}  global_avgpool -> dense(4) fixed\n`;
    const text = `space s() {\n${body}}\n`;
    const { ir, diagnostics } = compileText(text);
    expect(diagnostics).toEqual([]);
    const shuffles = ir!.nodes.filter((n) => n.op === "channel_shuffle");
    expect(shuffles.length).toBe(2);
    // The first shuffle interleaves the stem's channels 0–3 (left) with the branch's 0–3.
    const branchEnd = ir!.nodes.find((n) => n.op === "conv" && n.fixed && n.inputs[0] !== 0 && n.id < shuffles[0]!.id)!;
    const group = ir!.groups.find((g) => g.producers.some((p) => p.node === branchEnd.id))!;
    expect(group.searchable).toBe(false);
    expect(group.size).toBe(1);
    expect(group.producers.filter((p) => p.node === 1).map((p) => p.start)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(shuffles[0]!.layout.every((slice) => slice.group === group.id && slice.size === 1)).toBe(true);
    expect(ir!.groups.filter((g) => g.searchable).length).toBe(2);
  });
});

describe("layer_norm and layer_scale", () => {
  it("layer_norm normalises each pixel over its channels (epsilon 1e-6), with γ = 1 and β = 0 at start", () => {
    const x = image(3, 3, 8);
    const y = run(irOf("layer_norm", "input(3, 3, 8)"), x);
    const pixel = (x.arraySync() as number[][][][])[1]![2]![0]!;
    const mean = pixel.reduce((a, b) => a + b, 0) / 8;
    const variance = pixel.reduce((a, b) => a + (b - mean) ** 2, 0) / 8;
    pixel.forEach((v, c) => expect(y[1]![2]![0]![c]).toBeCloseTo((v - mean) / Math.sqrt(variance + 1e-6), 5));
  });

  it("layer_scale multiplies every channel by its γ, initialised to init", () => {
    const x = image(3, 3, 8);
    const y = run(irOf("layer_scale(0.25)", "input(3, 3, 8)"), x);
    const xs = x.arraySync() as number[][][][];
    expect(y[0]![1]![1]![5]).toBeCloseTo(xs[0]![1]![1]![5]! * 0.25, 6);
  });

  it("count 2·C and C parameters, in both conventions, as tfjs does", () => {
    const text = "space s() {\n  input(4, 4, 3)\n  conv(1, 16) -> layer_norm -> layer_scale(0.000001)\n}\n";
    for (const convention of ["torch", "keras"] as const) {
      const { ir } = compileText(text, convention);
      expect(ir!.costs.full.params).toBe(3 * 16 + 2 * 16 + 16);
      expect(ir!.costs.full.madds).toBe(3 * 16 * 16);
    }
    const { ir } = compileText(text);
    expect(emitModel(ir!.nodes, ir!.output, "count").countParams()).toBe(3 * 16 + 2 * 16 + 16);
  });
});

describe("dilation", () => {
  it("spaces the taps as PyTorch does; 'same' keeps the size, 'valid' slides the spanned window", () => {
    const ir = irOf('conv(3, 4, dilation: 2) -> dwconv([3, 2], dilation: [2, 3], padding: "valid")');
    expect(ir.nodes[1]!.shape).toEqual({ height: 6, width: 5, channels: 4 });
    expect(ir.nodes[2]!.shape).toEqual({ height: 2, width: 2, channels: 4 });
    expect(ir.costs.full.madds).toBe(9 * 12 * 4 * 30 + 6 * 4 * 4);
  });

  it("is computed at every tap (one-hot input through a dilated conv of ones)", () => {
    const ir = irOf("dwconv(3, dilation: 2)", "input(7, 7, 1)");
    const model = emitModel(ir.nodes, ir.output, "taps");
    model.getLayer("dwconv_1").setWeights([tf.ones([3, 3, 1, 1])]);
    const x = tf.buffer([1, 7, 7, 1]);
    x.set(1, 0, 3, 3, 0);
    const y = (model.predict(x.toTensor()) as tf.Tensor).reshape([7, 7]).arraySync() as number[][];
    const hits = y.flatMap((row, i) => row.flatMap((v, j) => (v === 1 ? [[i, j]] : [])));
    expect(hits).toEqual([1, 3, 5].flatMap((i) => [1, 3, 5].map((j) => [i, j])));
  });

  it("with a stride above 1 too is a diagnostic at the op, not a crash", () => {
    const { diagnostics } = compileText("space s() {\n  input(8, 8, 3)\n  conv(3, 8, stride: 2, dilation: 2)\n}\n");
    expect(diagnostics.map((d) => d.code)).toEqual(["FIGS3008"]);
  });
});
