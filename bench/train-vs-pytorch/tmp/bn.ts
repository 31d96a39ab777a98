import { jsBatchNorm } from "../../../runtime/kernels/js_bn.js";
import { conv2dFilterGrad } from "../../../runtime/kernels/js_conv.js";
const rows = 16384, C = 96;
const mem = new WebAssembly.Memory({ initial: 2000 });
for (const [label, mk] of [["plain", (n: number, o: number) => new Float32Array(n)], ["wasm-view", (n: number, o: number) => new Float32Array(mem.buffer, o * 4 * rows * C, n)]] as const) {
  const x = mk(rows * C, 0), y = mk(rows * C, 1);
  for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
  const g = new Float32Array(C).fill(1), b = new Float32Array(C), s = new Float32Array(C).fill(0.9), m = new Float32Array(C), v = new Float32Array(C);
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    jsBatchNorm.forward(x, g, b, s, { rows, channels: C, eps: 1e-5, relu: true }, y, m, v);
    console.log(label, "bn fwd", (performance.now() - t0).toFixed(1));
  }
  const geo = { batch: 64, inH: 16, inW: 16, inC: 96, outH: 16, outW: 16, outC: 32, kH: 1, kW: 1, strideH: 1, strideW: 1, dilH: 1, dilW: 1, padTop: 0, padLeft: 0, multiplier: 1 };
  const dy = mk(rows * 32, 2), dw = new Float32Array(96 * 32);
  for (let r = 0; r < 2; r++) { const t0 = performance.now(); conv2dFilterGrad(x, dy, geo, dw); console.log(label, "conv fg", (performance.now() - t0).toFixed(1)); }
}
