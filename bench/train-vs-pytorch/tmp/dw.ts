import * as js from "../../../runtime/kernels/js_conv.js";
const g = { batch: 64, inH: 16, inW: 16, inC: 96, outH: 16, outW: 16, outC: 96, kH: 3, kW: 3, strideH: 1, strideW: 1, dilH: 1, dilW: 1, padTop: 1, padLeft: 1, multiplier: 1 };
const n = 64 * 16 * 16 * 96;
const x = new Float32Array(n).map((_, i) => Math.sin(i)), dy = new Float32Array(n).map((_, i) => Math.cos(i)), out = new Float32Array(n), w = new Float32Array(9 * 96).fill(0.1);
for (let r = 0; r < 3; r++) {
  let t0 = performance.now(); js.depthwiseFilterGrad(x, dy, g, new Float32Array(9 * 96)); const a = performance.now() - t0;
  t0 = performance.now(); js.depthwiseInputGrad(dy, w, g, out); const b = performance.now() - t0;
  console.log("dw filter", a.toFixed(1), "dw input", b.toFixed(1));
}
