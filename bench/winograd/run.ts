// Winograd F(2×2, 3×3) against im2col + GEMM in the native addon, on the 3×3
// stride-1 'same' convs of figs's networks (Cin = Cout), forward and input
// gradient. Prints the best-of-N time of each and the ratio im2col / Winograd
// (> 1: Winograd wins), with the load average, since the machine is shared.
//   npx tsx bench/winograd/run.ts [--quick] [--size 7]     (FIGS_THREADS=n sets threads)
import * as os from "node:os";
import type { ConvGeometry } from "../../runtime/kernels/geometry.js";
import { loadNativeEngine, loadWinogradKernels } from "../../runtime/kernels/native.js";
import type { GradFn } from "../../runtime/kernels/engine.js";

const quick = process.argv.includes("--quick");
const sizeArg = process.argv.indexOf("--size");
const onlySize = sizeArg >= 0 ? Number(process.argv[sizeArg + 1]) : undefined;
const engine = loadNativeEngine();
const kernels = loadWinogradKernels();
if (engine === null || kernels === null) {
  console.log("bench/winograd: the native addon (with Winograd kernels) is not built; run npm run build:native");
  process.exit(0);
}

/** A 3×3 stride-1 'same' conv. */
function geometry(batch: number, size: number, inC: number, outC: number): ConvGeometry {
  const [inH, inW, outH, outW] = [size, size, size, size];
  const [kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft, multiplier] = [3, 3, 1, 1, 1, 1, 1, 1, 1];
  return { batch, inH, inW, inC, outH, outW, outC, kH, kW, strideH, strideW, dilH, dilW, padTop, padLeft, multiplier };
}

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

/** Best time in ms of at least 3 calls and ~budget ms of calls (the minimum is what load distorts least). */
function time(fn: () => void, budget: number): number {
  let best = Infinity;
  const start = performance.now();
  for (let i = 0; i < 3 || performance.now() - start < budget; i++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

function maxDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const budget = quick ? 100 : 400;
const shapes: [number, number][] = [
  [64, 32],
  [64, 16],
  [64, 8],
  [32, 28],
  [32, 14],
  [32, 7],
];
const channels = [8, 16, 32, 64, 128];
// [batch, size, inC, outC]: Cin = Cout as the issue asks, then the stems (1 or 3 input channels).
const cases: [number, number, number, number][] = [
  ...shapes.flatMap(([b, s]) => channels.map((c): [number, number, number, number] => [b, s, c, c])),
  [64, 32, 3, 16],
  [64, 32, 3, 32],
  [32, 28, 1, 8],
  [32, 28, 1, 16],
];
console.log(
  `machine: ${os.cpus().length} cores; ${engine.description}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log("shape (N×H×W×Cin→Cout) fwd im2col ms  fwd wino ms  fwd ratio  dx im2col ms  dx wino ms  dx ratio");
for (const [batch, size, cin, cout] of cases.filter(([, s]) => onlySize === undefined || s === onlySize)) {
  const g = geometry(batch, size, cin, cout);
  const x = random(batch * size * size * cin);
  const dy = random(batch * size * size * cout);
  const w = random(9 * cin * cout);
  const [y1, y2] = [new Float32Array(dy.length), new Float32Array(dy.length)];
  const [dx1, dx2] = [new Float32Array(x.length), new Float32Array(x.length)];
  const run = (fn: GradFn, a: Float32Array, out: Float32Array) => () => fn(a, w, g, out);
  const fi = time(run(kernels.im2colForward, x, y1), budget);
  const fw = time(run(kernels.forward, x, y2), budget);
  const di = time(run(kernels.im2colInputGrad, dy, dx1), budget);
  const dw = time(run(kernels.inputGrad, dy, dx2), budget);
  const err = Math.max(maxDiff(y1, y2), maxDiff(dx1, dx2)).toExponential(1);
  const label = `${batch}×${size}×${size}×${cin}→${cout}`.padEnd(20);
  const cols = [fi, fw, fi / fw, di, dw, di / dw].map((v, i) => (i % 3 === 2 ? v.toFixed(2) + "×" : v.toFixed(2)));
  const widths = [13, 12, 10, 13, 11, 9];
  console.log(`${label}${cols.map((v, i) => v.padStart(widths[i]!)).join(" ")}   (max |Δ| ${err})`);
}
console.log(
  `load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
