// Dilated convs (conv and dwconv `dilation`): figs's DilatedConv2D layer
// (runtime/ops/dilated-conv.ts: spaceToBatchND, an undilated conv,
// batchToSpaceND) against references. Forward: tfjs's own dilated conv2d and
// depthwiseConv2d ops on cpu. Gradients: by linearity, ∂Σ(y·r)/∂w[i] is the
// forward of the unit kernel e_i (and ∂/∂x[i] that of the unit image), so the
// reference is again tfjs's dilated forward on cpu, which has no gradient of
// its own. Then the same on wasm with figs's kernels (JS and native engines),
// and figs's kernels called with dilations directly (which the layer avoids).
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { registerWasmKernels } from "../../runtime/kernels/register_wasm.js";
import { DilatedConv2D } from "../../runtime/ops/dilated-conv.js";
import { maxAbs, maxAbsDiff, randomValues, runOn, testEngines } from "./helpers.js";

interface Case {
  readonly name: string;
  readonly size: [number, number];
  readonly cin: number;
  readonly kernel: [number, number];
  readonly dilation: [number, number];
  readonly padding: "same" | "valid";
  /** Output channels of a conv; 0 for a depthwise conv. */
  readonly filters: number;
  readonly groups: number;
  readonly multiplier: number;
  readonly bias: boolean;
}

const CASES: Case[] = [
  {
    name: "conv 3x3 d2 same",
    size: [7, 6],
    cin: 2,
    kernel: [3, 3],
    dilation: [2, 2],
    padding: "same",
    filters: 3,
    groups: 1,
    multiplier: 0,
    bias: true,
  },
  {
    name: "conv 3x2 d[2,3] valid",
    size: [8, 9],
    cin: 3,
    kernel: [3, 2],
    dilation: [2, 3],
    padding: "valid",
    filters: 2,
    groups: 1,
    multiplier: 0,
    bias: false,
  },
  {
    name: "grouped conv d3 same",
    size: [6, 7],
    cin: 4,
    kernel: [3, 3],
    dilation: [3, 3],
    padding: "same",
    filters: 6,
    groups: 2,
    multiplier: 0,
    bias: false,
  },
  {
    name: "dwconv 3x3 d2 same",
    size: [7, 7],
    cin: 3,
    kernel: [3, 3],
    dilation: [2, 2],
    padding: "same",
    filters: 0,
    groups: 1,
    multiplier: 1,
    bias: false,
  },
  {
    name: "dwconv 2x3 d[3,2] same, multiplier 2",
    size: [6, 8],
    cin: 2,
    kernel: [2, 3],
    dilation: [3, 2],
    padding: "same",
    filters: 0,
    groups: 1,
    multiplier: 2,
    bias: true,
  },
  {
    name: "dwconv 3x3 d[1,2] valid",
    size: [5, 7],
    cin: 2,
    kernel: [3, 3],
    dilation: [1, 2],
    padding: "valid",
    filters: 0,
    groups: 1,
    multiplier: 1,
    bias: false,
  },
];

function kernelShape(c: Case): number[] {
  return c.multiplier > 0 ? [...c.kernel, c.cin, c.multiplier] : [...c.kernel, c.cin / c.groups, c.filters];
}

/** tfjs's own dilated forward (grouped: one conv2d per group). */
function reference(c: Case, x: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  if (c.multiplier > 0) return tf.depthwiseConv2d(x, w, 1, c.padding, "NHWC", c.dilation);
  const xs = tf.split(x, c.groups, 3);
  const ws = tf.split(w, c.groups, 3);
  return tf.concat(
    xs.map((part, g) => tf.conv2d(part as tf.Tensor4D, ws[g] as tf.Tensor4D, 1, c.padding, "NHWC", c.dilation)),
    3,
  );
}

function layerOf(c: Case): DilatedConv2D {
  const layer = new DilatedConv2D({
    filters: c.filters,
    kernelSize: c.kernel,
    dilationRate: c.dilation,
    padding: c.padding,
    groups: c.groups,
    depthMultiplier: c.multiplier,
    useBias: false,
  });
  layer.build([null, ...c.size, c.cin]);
  return layer;
}

function values(shape: number[], seed: number): tf.Tensor4D {
  const size = shape.reduce((a, b) => a * b, 1);
  const tensor: tf.Tensor = tf.tensor(randomValues(size, seed), shape);
  return tensor as tf.Tensor4D;
}

interface Result {
  y: Float32Array;
  dx: Float32Array;
  dw: Float32Array;
}

/** The layer's output, and the gradients of Σ(y·r) through its computation, on the current backend. */
function throughLayer(c: Case): Result {
  const layer = layerOf(c);
  const x = values([2, ...c.size, c.cin], 11);
  const w = values(kernelShape(c), 23);
  layer.setWeights([w]);
  const y = layer.apply(x) as tf.Tensor;
  const r = values(y.shape, 37);
  const loss = (input: tf.Tensor, kernel: tf.Tensor) =>
    tf.sum(tf.mul(dilatedWith(c, input as tf.Tensor4D, kernel as tf.Tensor4D), r));
  const [dx, dw] = tf.grads(loss)([x, w]);
  return { y: y.dataSync() as Float32Array, dx: dx!.dataSync() as Float32Array, dw: dw!.dataSync() as Float32Array };
}

/** The layer's computation with the kernel as an argument (what its call does with its variable). */
function dilatedWith(c: Case, x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  const layer = layerOf(c) as unknown as { dilated(x: tf.Tensor4D, k: tf.Tensor4D): tf.Tensor4D };
  return layer.dilated(x, kernel);
}

/** Forward and, by linearity, both gradients from tfjs's dilated forward on cpu. */
function referenceResult(c: Case): Result {
  const x = values([2, ...c.size, c.cin], 11);
  const w = values(kernelShape(c), 23);
  const y = reference(c, x, w);
  const r = values(y.shape, 37);
  const xs = x.dataSync();
  const ws = w.dataSync();
  const unit = (n: number, i: number) => Float32Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
  const dw = Float32Array.from(ws, (_, i) =>
    tf.tidy(
      () => tf.sum(tf.mul(reference(c, x, tf.tensor(unit(ws.length, i), w.shape) as tf.Tensor4D), r)).dataSync()[0]!,
    ),
  );
  const dx = Float32Array.from(xs, (_, i) =>
    tf.tidy(
      () => tf.sum(tf.mul(reference(c, tf.tensor(unit(xs.length, i), x.shape) as tf.Tensor4D, w), r)).dataSync()[0]!,
    ),
  );
  return { y: y.dataSync() as Float32Array, dx, dw };
}

function expectClose(got: Result, want: Result, label: string): void {
  for (const key of ["y", "dx", "dw"] as const) {
    expect(got[key].length, `${label} ${key}`).toBe(want[key].length);
    expect(maxAbsDiff(got[key], want[key]), `${label} ${key}`).toBeLessThanOrEqual(
      1e-5 * Math.max(1, maxAbs(want[key])),
    );
  }
}

const wanted = new Map<string, Result>();

beforeAll(async () => {
  await tf.setBackend("cpu");
  for (const c of CASES) wanted.set(c.name, referenceResult(c));
});
afterAll(async () => {
  await tf.setBackend("cpu");
});

describe("DilatedConv2D on cpu", () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    "%s: forward and gradients match tfjs's dilated forward",
    (name, c) => {
      expectClose(throughLayer(c), wanted.get(name)!, `cpu ${name}`);
    },
  );

  it("spaces its taps: a one-hot pixel reaches the output at dilation steps", () => {
    const c = CASES[3]!;
    const layer = layerOf(c);
    layer.setWeights([tf.ones(kernelShape(c))]);
    const x = tf.buffer([1, 7, 7, 3]);
    x.set(1, 0, 3, 3, 1);
    const y = (layer.apply(x.toTensor()) as tf.Tensor).slice([0, 0, 0, 1], [1, 7, 7, 1]).reshape([7, 7]);
    const hits = (y.arraySync() as number[][]).flatMap((row, i) => row.flatMap((v, j) => (v === 1 ? [[i, j]] : [])));
    expect(hits).toEqual([1, 3, 5].flatMap((i) => [1, 3, 5].map((j) => [i, j])));
  });
});

const { engines } = testEngines();

for (const engine of engines) {
  describe(`DilatedConv2D on wasm with figs's kernels (${engine.name} engine)`, () => {
    it.each(CASES.map((c) => [c.name, c] as const))(
      "%s: forward and gradients match cpu's reference",
      async (name, c) => {
        expect(await activateWasm(engine)).not.toBeNull();
        registerWasmKernels(engine, { replaceWasmKernels: true });
        expectClose(throughLayer(c), wanted.get(name)!, `wasm ${engine.name} ${name}`);
      },
    );

    // The layer never hands a dilation to a kernel; called with one directly, figs's kernels still compute the
    // dilated conv (cpu's depthwise gradient kernels do not: they drop the dilation from their tap offsets).
    it("serves dilated kernels: forward where figs has its own, depthwise gradients by linearity", async () => {
      const attrs = { strides: [1, 1], pad: "same", dilations: [2, 3], dataFormat: "NHWC" } as tf.NamedAttrMap;
      const x = { shape: [2, 7, 8, 3], values: randomValues(2 * 7 * 8 * 3, 5) };
      const w = { shape: [3, 3, 3, 2], values: randomValues(54, 7) };
      const dy = { shape: [2, 7, 8, 6], values: randomValues(2 * 7 * 8 * 6, 9) };
      const convW = { shape: [3, 3, 3, 4], values: randomValues(108, 3) };
      await tf.setBackend("cpu");
      const forward = (xs: Float32Array, ws: Float32Array) =>
        tf.tidy(() => {
          const y = tf.depthwiseConv2d(
            tf.tensor4d(xs, x.shape as never),
            tf.tensor4d(ws, w.shape as never),
            1,
            "same",
            "NHWC",
            [2, 3],
          );
          return tf.sum(tf.mul(y, tf.tensor(dy.values, dy.shape))).dataSync()[0]!;
        });
      const unit = (n: number, i: number) => Float32Array.from({ length: n }, (_, j) => (j === i ? 1 : 0));
      const filterGrad = Float32Array.from(w.values, (_, i) => forward(x.values, unit(w.values.length, i)));
      const inputGrad = Float32Array.from(x.values, (_, i) => forward(unit(x.values.length, i), w.values));
      const cases: [
        string,
        Record<string, { shape: number[]; values: Float32Array }>,
        tf.NamedAttrMap,
        Float32Array,
      ][] = [
        ["DepthwiseConv2dNativeBackpropFilter", { x, dy }, { ...attrs, filterShape: w.shape }, filterGrad],
        ["DepthwiseConv2dNativeBackpropInput", { dy, filter: w }, { ...attrs, inputShape: x.shape }, inputGrad],
      ];
      if (engine.conv2dForward !== undefined) {
        const depthwise = await runOn("cpu", "DepthwiseConv2dNative", { x, filter: w }, attrs);
        const conv = await runOn("cpu", "Conv2D", { x, filter: convW }, attrs);
        cases.push(["DepthwiseConv2dNative", { x, filter: w }, attrs, depthwise]);
        cases.push(["Conv2D", { x, filter: convW }, attrs, conv]);
      }
      expect(await activateWasm(engine)).not.toBeNull();
      registerWasmKernels(engine, { replaceWasmKernels: true });
      for (const [kernel, inputs, kernelAttrs, want] of cases) {
        const got = await runOn("wasm", kernel, inputs, kernelAttrs);
        expect(maxAbsDiff(got, want), kernel).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
      }
    });
  });
}
