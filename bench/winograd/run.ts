// Winograd F(2×2, 3×3) and F(4×4, 3×3) against im2col + GEMM in the native
// addon, on the 3×3 stride-1 'same' convs of figs's networks (Cin = Cout),
// forward and input gradient. Prints the best-of-N time of each, the ratios
// im2col / F(2×2) and F(2×2) / F(4×4) (> 1: the second wins), and each
// Winograd's largest difference from im2col, with the load average, since
// the machine is shared.
//   npx tsx bench/winograd/run.ts [--quick] [--size 7] [--resnet18]     (FIGS_THREADS=n sets threads)
// --resnet18: only the 3×3 stride-1 convs of ResNet-18@64 at batch 32 (the training bench's), which end the full list.
import * as os from "node:os";
import type { ConvGeometry } from "../../runtime/kernels/geometry.js";
import { loadNativeEngine, loadWinogradKernels } from "../../runtime/kernels/native.js";
import type { GradFn } from "../../runtime/kernels/engine.js";

const quick = process.argv.includes("--quick");
const sizeArg = process.argv.indexOf("--size");
const onlySize = sizeArg >= 0 ? Number(process.argv[sizeArg + 1]) : undefined;
const engine = loadNativeEngine();
const kernels = loadWinogradKernels();
if (
  engine === null ||
  kernels?.forward4 === undefined ||
  kernels.inputGrad4 === undefined ||
  kernels.filterGrad4 === undefined
) {
  console.log("bench/winograd: the native addon (with both Winograd kernels) is not built; run npm run build:native");
  process.exit(0);
}
const { forward4, inputGrad4, filterGrad4 } = kernels;

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
const resnet18: [number, number, number, number][] = [
  [32, 64, 64, 64],
  [32, 32, 128, 128],
  [32, 16, 256, 256],
  [32, 8, 512, 512],
];
const cases: [number, number, number, number][] = process.argv.includes("--resnet18")
  ? resnet18
  : [
      ...shapes.flatMap(([b, s]) => channels.map((c): [number, number, number, number] => [b, s, c, c])),
      [64, 32, 3, 16],
      [64, 32, 3, 32],
      [32, 28, 1, 8],
      [32, 28, 1, 16],
      ...resnet18,
    ];
console.log(
  `machine: ${os.cpus().length} cores; ${engine.description}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
console.log(
  "shape (N×H×W×Cin→Cout)   fwd ms im2col / F2 / F4   im2col÷F2  F2÷F4    dx ms im2col / F2 / F4   im2col÷F2  F2÷F4" +
    "   max |Δ| F2, F4",
);
for (const [batch, size, cin, cout] of cases.filter(([, s]) => onlySize === undefined || s === onlySize)) {
  const g = geometry(batch, size, cin, cout);
  const x = random(batch * size * size * cin);
  const dy = random(batch * size * size * cout);
  const w = random(9 * cin * cout);
  const outputs = (n: number): Float32Array[] => [0, 1, 2].map(() => new Float32Array(n));
  const [y0, y2, y4] = outputs(dy.length);
  const [dx0, dx2, dx4] = outputs(x.length);
  const run = (fn: GradFn, a: Float32Array, out: Float32Array) => () => fn(a, w, g, out);
  const fwd = [
    time(run(kernels.im2colForward, x, y0!), budget),
    time(run(kernels.forward, x, y2!), budget),
    time(run(forward4, x, y4!), budget),
  ];
  const dx = [
    time(run(kernels.im2colInputGrad, dy, dx0!), budget),
    time(run(kernels.inputGrad, dy, dx2!), budget),
    time(run(inputGrad4, dy, dx4!), budget),
  ];
  const err = (a: Float32Array, b: Float32Array, c: Float32Array, d: Float32Array): string =>
    Math.max(maxDiff(a, b), maxDiff(c, d)).toExponential(1);
  const ms = (t: number[]): string =>
    t
      .map((v) => v.toFixed(2))
      .join(" / ")
      .padStart(24);
  const ratios = (t: number[]): string =>
    `${(t[0]! / t[1]!).toFixed(2)}×`.padStart(10) + `${(t[1]! / t[2]!).toFixed(2)}×`.padStart(7);
  const label = `${batch}×${size}×${size}×${cin}→${cout}`.padEnd(20);
  const errors = `${err(y0!, y2!, dx0!, dx2!)}, ${err(y0!, y4!, dx0!, dx4!)}`;
  console.log(`${label}${ms(fwd)}${ratios(fwd)}   ${ms(dx)}${ratios(dx)}   ${errors}`);
}
console.log("\nfilter gradient (x, dy) → dW   ms im2col / F4   im2col÷F4   max |Δ|");
for (const [batch, size, cin, cout] of cases.filter(([, s]) => onlySize === undefined || s === onlySize)) {
  const g = geometry(batch, size, cin, cout);
  const x = random(batch * size * size * cin);
  const dy = random(batch * size * size * cout);
  const [dw0, dw4] = [new Float32Array(9 * cin * cout), new Float32Array(9 * cin * cout)];
  const im2col = time(() => kernels.im2colFilterGrad(x, dy, g, dw0), budget);
  const f4 = time(() => filterGrad4(x, dy, g, dw4), budget);
  const label = `${batch}×${size}×${size}×${cin}→${cout}`.padEnd(31);
  const ms = `${im2col.toFixed(2)} / ${f4.toFixed(2)}`.padStart(16);
  console.log(`${label}${ms}${`${(im2col / f4).toFixed(2)}×`.padStart(12)}   ${maxDiff(dw0, dw4).toExponential(1)}`);
}
console.log(
  `load average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
