// MaxPoolGrad for wasm. tfjs-backend-wasm 4.22's own MaxPoolGrad disagrees
// with the cpu reference for most windows (found by test/runtime/pool_grad),
// so figs replaces it. Each dy value goes to the first strict maximum of its
// window in row-major order, the cpu backend's tie-breaking; the window scan
// is vectorised over channels (NHWC).
import * as tf from "@tensorflow/tfjs";
import { asWasm, f32, input } from "./wasm_heap.js";

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

export function maxPoolGradInto(x: Float32Array, dy: Float32Array, info: tf.backend_util.Conv2DInfo, dx: Float32Array): void {
  dx.fill(0);
  const C = info.inChannels;
  const best = new Float32Array(C);
  const arg = new Int32Array(C);
  for (let b = 0; b < info.batchSize; b++) {
    for (let oh = 0; oh < info.outHeight; oh++) {
      for (let ow = 0; ow < info.outWidth; ow++) {
        best.fill(-Infinity);
        arg.fill(-1);
        for (let kh = 0; kh < info.effectiveFilterHeight; kh += info.dilationHeight) {
          const ih = oh * info.strideHeight + kh - info.padInfo.top;
          if (ih < 0 || ih >= info.inHeight) continue;
          for (let kw = 0; kw < info.effectiveFilterWidth; kw += info.dilationWidth) {
            const iw = ow * info.strideWidth + kw - info.padInfo.left;
            if (iw < 0 || iw >= info.inWidth) continue;
            const xo = ((b * info.inHeight + ih) * info.inWidth + iw) * C;
            for (let c = 0; c < C; c++) {
              const v = x[xo + c]!;
              if (v > best[c]!) {
                best[c] = v;
                arg[c] = xo + c;
              }
            }
          }
        }
        const dyo = ((b * info.outHeight + oh) * info.outWidth + ow) * C;
        for (let c = 0; c < C; c++) if (arg[c]! >= 0) dx[arg[c]!]! += dy[dyo + c]!;
      }
    }
  }
}

export const maxPoolGradKernel: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasm(backend);
  const a = attrs as unknown as PoolAttrs;
  const x = input(inputs, "input");
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
  const out = wasm.makeOutput([...x.shape], "float32");
  maxPoolGradInto(f32(wasm, x), f32(wasm, input(inputs, "dy")), info, f32(wasm, out));
  return out;
};
