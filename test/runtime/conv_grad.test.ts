// Property test: every figs gradient kernel registered for `wasm` agrees with
// tfjs's reference `cpu` backend on random shapes, strides, paddings and
// kernel sizes (max absolute error, scaled by the result's magnitude).
import type * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { activateWasm } from "../../runtime/backend/wasm.js";
import { jsEngine } from "../../runtime/kernels/engine.js";
import { registerWasmKernels } from "../../runtime/kernels/register_wasm.js";
import { maxAbs, maxAbsDiff, randomValues, runOn, type Inputs, testEngines } from "./helpers.js";

interface Case {
  batch: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  mult: number;
  k: number;
  stride: number;
  pad: "same" | "valid" | number;
  seed: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    batch: fc.integer({ min: 1, max: 3 }),
    h: fc.integer({ min: 1, max: 9 }),
    w: fc.integer({ min: 1, max: 9 }),
    cin: fc.integer({ min: 1, max: 7 }),
    cout: fc.integer({ min: 1, max: 7 }),
    mult: fc.integer({ min: 1, max: 3 }),
    k: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.oneof(fc.constant<"same">("same"), fc.constant<"valid">("valid"), fc.integer({ min: 0, max: 2 })),
    seed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((c) => ({
    ...c,
    k:
      c.pad === "same"
        ? c.k
        : Math.min(
            c.k,
            c.h + 2 * (typeof c.pad === "number" ? c.pad : 0),
            c.w + 2 * (typeof c.pad === "number" ? c.pad : 0),
          ),
  }));

function outSize(n: number, c: Case): number {
  if (c.pad === "same") return Math.ceil(n / c.stride);
  const p = typeof c.pad === "number" ? c.pad : 0;
  return Math.floor((n + 2 * p - c.k) / c.stride) + 1;
}

function attrsOf(c: Case): tf.NamedAttrMap {
  const attrs: tf.NamedAttrMap = { strides: [c.stride, c.stride], pad: c.pad, dilations: [1, 1], dataFormat: "NHWC" };
  if (typeof c.pad === "number") attrs["dimRoundingMode"] = "floor";
  return attrs;
}

interface KernelCase {
  kernel: string;
  depthwise: boolean;
  kind: "filter" | "input" | "output";
}

function problem(kc: KernelCase, c: Case): { inputs: Inputs; attrs: tf.NamedAttrMap } {
  const outC = kc.depthwise ? c.cin * c.mult : c.cout;
  const xShape = [c.batch, c.h, c.w, c.cin];
  const fShape = [c.k, c.k, c.cin, kc.depthwise ? c.mult : c.cout];
  const dyShape = [c.batch, outSize(c.h, c), outSize(c.w, c), outC];
  const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);
  const dy = { shape: dyShape, values: randomValues(size(dyShape), c.seed) };
  const attrs = attrsOf(c);
  if (kc.kind === "output") {
    const x = { shape: xShape, values: randomValues(size(xShape), c.seed + 3) };
    return { inputs: { x, filter: { shape: fShape, values: randomValues(size(fShape), c.seed + 7) } }, attrs };
  }
  if (kc.kind === "filter") {
    attrs["filterShape"] = fShape;
    return { inputs: { x: { shape: xShape, values: randomValues(size(xShape), c.seed + 7) }, dy }, attrs };
  }
  attrs["inputShape"] = xShape;
  return { inputs: { dy, filter: { shape: fShape, values: randomValues(size(fShape), c.seed + 7) } }, attrs };
}

const KERNELS: KernelCase[] = [
  { kernel: "Conv2DBackpropFilter", depthwise: false, kind: "filter" },
  { kernel: "Conv2DBackpropInput", depthwise: false, kind: "input" },
  { kernel: "DepthwiseConv2dNativeBackpropFilter", depthwise: true, kind: "filter" },
  { kernel: "DepthwiseConv2dNativeBackpropInput", depthwise: true, kind: "input" },
  { kernel: "Conv2D", depthwise: false, kind: "output" },
  { kernel: "DepthwiseConv2dNative", depthwise: true, kind: "output" },
];

const { engines } = testEngines();

beforeAll(async () => {
  expect(await activateWasm(jsEngine)).not.toBeNull();
});

for (const engine of engines) {
  describe(`wasm gradient kernels (${engine.name} engine) match cpu`, () => {
    // Forward kernels are figs's only when the engine has them (native);
    // otherwise wasm keeps its XNNPACK ones, which are not ours to test.
    const ownForward = engine.conv2dForward !== undefined;
    // Depthwise with multiplier 1 and stride 1 takes the native engine's row-span loops: test it on its own too.
    const variants = [
      { label: "", cases: caseArb, kernels: KERNELS },
      {
        label: " (multiplier 1, stride 1)",
        cases: caseArb.map((c) => ({ ...c, mult: 1, stride: 1, cin: c.cin + c.cout })),
        kernels: KERNELS.filter((k) => k.depthwise),
      },
    ];
    const runs = variants.flatMap((v) =>
      v.kernels.filter((k) => k.kind !== "output" || ownForward).map((kc) => ({ ...v, kc })),
    );
    for (const { label, cases, kc } of runs) {
      it(kc.kernel + label, async () => {
        registerWasmKernels(engine, { replaceWasmKernels: true });
        await fc.assert(
          fc.asyncProperty(cases, async (c) => {
            const { inputs, attrs } = problem(kc, c);
            const want = await runOn("cpu", kc.kernel, inputs, attrs);
            const got = await runOn("wasm", kc.kernel, inputs, attrs);
            expect(maxAbsDiff(got, want)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(want)));
          }),
          { numRuns: 60, seed: 0x5eed },
        );
      });
    }
  });
}
