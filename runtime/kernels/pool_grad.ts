// Pooling gradients for wasm, from the kernel engine (native C++ or the JS
// loops below, which define what both compute).
//
// MaxPoolGrad: tfjs-backend-wasm 4.22's own disagrees with the cpu reference
// for most windows (found by test/runtime/pool_grad). Each dy value goes to the
// first strict maximum of its window in row-major order, the cpu backend's
// tie-breaking.
//
// AvgPoolGrad: tfjs's AvgPool leaves padding out of the mean, but its
// AvgPoolGrad (cpu and wasm alike) divides by the full window size, so at the
// borders of a `same` pool its gradient is not the forward's. figs's divides
// by the number of in-bounds pixels, as TensorFlow and PyTorch
// (count_include_pad=False) do.
import * as tf from "@tensorflow/tfjs";
import type { GradEngine, GradFn } from "./engine.js";
import { geometryOfInfo, type ConvGeometry, type PadAttr, type RoundingAttr } from "./geometry.js";
import { asWasm, f32, input } from "./wasm_heap.js";

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: PadAttr;
  dimRoundingMode?: RoundingAttr;
}

export function poolGeometry(shape: readonly number[], attrs: PoolAttrs): ConvGeometry {
  const info = tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  // A pool keeps its channels: one window per input channel.
  return geometryOfInfo(info, { outChannels: info.inChannels, multiplier: 1 });
}

/** The in-bounds taps [first, last) of a window starting at `start`. */
function taps(start: number, k: number, dil: number, n: number): [number, number] {
  let first = 0;
  while (first < k && start + first * dil < 0) first++;
  let last = k;
  while (last > first && start + (last - 1) * dil >= n) last--;
  return [first, last];
}

/** Calls visit(image, oh, ow, h0, w0, [kh0, kh1], [kw0, kw1]) for every output position. */
function eachWindow(
  g: ConvGeometry,
  visit: (
    b: number,
    oh: number,
    ow: number,
    h0: number,
    w0: number,
    th: [number, number],
    tw: [number, number],
  ) => void,
): void {
  for (let b = 0; b < g.batch; b++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const h0 = oh * g.strideH - g.padTop;
      const th = taps(h0, g.kH, g.dilH, g.inH);
      for (let ow = 0; ow < g.outW; ow++) {
        const w0 = ow * g.strideW - g.padLeft;
        visit(b, oh, ow, h0, w0, th, taps(w0, g.kW, g.dilW, g.inW));
      }
    }
  }
}

/** (x, dy) → dx of a max pool. */
export const jsMaxPoolGrad: GradFn = (x, dy, g, dx) => {
  dx.fill(0);
  const C = g.inC;
  const best = new Float32Array(C);
  const arg = new Int32Array(C);
  eachWindow(g, (b, oh, ow, h0, w0, [kh0, kh1], [kw0, kw1]) => {
    best.fill(-Infinity);
    arg.fill(-1);
    for (let kh = kh0; kh < kh1; kh++) {
      for (let kw = kw0; kw < kw1; kw++) {
        const xo = ((b * g.inH + h0 + kh * g.dilH) * g.inW + w0 + kw * g.dilW) * C;
        for (let c = 0; c < C; c++) {
          if (x[xo + c]! > best[c]!) {
            best[c] = x[xo + c]!;
            arg[c] = xo + c;
          }
        }
      }
    }
    const dyo = ((b * g.outH + oh) * g.outW + ow) * C;
    for (let c = 0; c < C; c++) if (arg[c]! >= 0) dx[arg[c]!]! += dy[dyo + c]!;
  });
};

/** (dy, unused) → dx of an average pool whose mean counts only in-bounds pixels. */
export const jsAvgPoolGrad: GradFn = (dy, _unused, g, dx) => {
  dx.fill(0);
  const C = g.inC;
  eachWindow(g, (b, oh, ow, h0, w0, [kh0, kh1], [kw0, kw1]) => {
    const count = (kh1 - kh0) * (kw1 - kw0);
    if (count <= 0) return;
    const dyo = ((b * g.outH + oh) * g.outW + ow) * C;
    for (let kh = kh0; kh < kh1; kh++) {
      for (let kw = kw0; kw < kw1; kw++) {
        const xo = ((b * g.inH + h0 + kh * g.dilH) * g.inW + w0 + kw * g.dilW) * C;
        for (let c = 0; c < C; c++) dx[xo + c]! += dy[dyo + c]! / count;
      }
    }
  });
};

/** MaxPoolGrad and AvgPoolGrad kernels for wasm that run the engine's loops. */
export function poolGradKernels(engine: GradEngine): Array<[string, tf.KernelFunc]> {
  const maxPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const x = input(inputs, "input");
    const out = wasm.makeOutput([...x.shape], "float32");
    engine.maxPoolGrad(
      f32(wasm, x),
      f32(wasm, input(inputs, "dy")),
      poolGeometry(x.shape, attrs as unknown as PoolAttrs),
      f32(wasm, out),
    );
    return out;
  };
  const avgPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const wasm = asWasm(backend);
    const x = input(inputs, "input");
    const out = wasm.makeOutput([...x.shape], "float32");
    const dy = f32(wasm, input(inputs, "dy"));
    engine.avgPoolGrad(dy, dy, poolGeometry(x.shape, attrs as unknown as PoolAttrs), f32(wasm, out));
    return out;
  };
  return [
    ["MaxPoolGrad", maxPoolGrad],
    ["AvgPoolGrad", avgPoolGrad],
  ];
}
