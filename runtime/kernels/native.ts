// Optional native engine: the N-API addon in native/ (C++, AVX2/FMA, its own
// thread pool), built by node-gyp at `npm ci` when a compiler is present.
// Loading never throws: no addon, an old CPU or FIGS_NATIVE=0 mean null, and
// the JS engine is used instead. Shapes are checked here, before any pointer
// reaches C++.
import { createRequire } from "node:module";
import * as os from "node:os";
import type {
  AddFn,
  BatchNormKernels,
  BiasActivationFn,
  ChannelMaskKernels,
  BnShape,
  CopyRowsFn,
  GradEngine,
  GradFn,
  ReluGradFn,
} from "./engine.js";
import type { ConvGeometry } from "./geometry.js";
import { jsAvgPoolGrad, jsMaxPoolGrad } from "./pool_grad.js";

type ConvCall = (a: Float32Array, b: Float32Array, g: Int32Array, out: Float32Array) => void;

interface Addon {
  cpuSupported: boolean;
  conv2dForward: ConvCall;
  conv2dFilterGrad: ConvCall;
  conv2dInputGrad: ConvCall;
  /** Winograd F(2×2, 3×3) for 3×3 stride-1 undilated convs; absent in an older build. */
  conv2dWinogradForward?: ConvCall;
  conv2dWinogradInputGrad?: ConvCall;
  /** Winograd F(4×4, 3×3), same geometries; absent in an older build. */
  conv2dWinograd4Forward?: ConvCall;
  conv2dWinograd4InputGrad?: ConvCall;
  conv2dWinograd4FilterGrad?: ConvCall;
  depthwiseForward: ConvCall;
  depthwiseFilterGrad: ConvCall;
  depthwiseInputGrad: ConvCall;
  /** Absent in an addon built before them (a stale native/build). */
  maxPoolGrad?: ConvCall;
  avgPoolGrad?: ConvCall;
  bnForward(
    ...args: [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      number,
      number,
      number,
      number,
      Float32Array,
      Float32Array,
      Float32Array,
    ]
  ): void;
  bnBackward(
    ...args: [
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      Float32Array,
      number,
      number,
      number,
      Float32Array,
      Float32Array,
    ]
  ): void;
  biasActivation(y: Float32Array, rows: number, channels: number, bias: Float32Array | null, act: number): void;
  channelSum(x: Float32Array, rows: number, channels: number, divisor: number, out: Float32Array): void;
  reluGrad?(dy: Float32Array, x: Float32Array, cap: number, dx: Float32Array): void;
  add?(a: Float32Array, b: Float32Array, out: Float32Array): void;
  channelMask?(
    x: Float32Array,
    rows: number,
    C: number,
    masks: Float32Array,
    indices: Int32Array,
    y: Float32Array,
  ): void;
  channelMaskGrad?(
    ...args: [Float32Array, Float32Array, number, number, Float32Array, Int32Array, Float32Array, Float32Array]
  ): void;
  copyRows?(
    src: Float32Array,
    srcStride: number,
    dst: Float32Array,
    dstStride: number,
    rows: number,
    width: number,
  ): void;
  setThreads(n?: number): number;
}

// Relative to runtime/kernels/ in the source tree and dist/runtime/kernels/ when built.
const CANDIDATES = ["../../native/build/Release/figs_kernels.node", "../../../native/build/Release/figs_kernels.node"];

function loadAddon(): Addon | null {
  if (process.env["FIGS_NATIVE"] === "0") return null;
  const require = createRequire(import.meta.url);
  for (const candidate of CANDIDATES) {
    try {
      const addon = require(candidate) as Addon;
      return addon.cpuSupported ? addon : null;
    } catch {
      // try the next location
    }
  }
  return null;
}

function pack(g: ConvGeometry): Int32Array {
  return Int32Array.of(
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.outC,
    g.kH,
    g.kW,
    g.strideH,
    g.strideW,
    g.dilH,
    g.dilW,
    g.padTop,
    g.padLeft,
    g.multiplier,
  );
}

type Role = "x" | "y" | "w";

function sizeOf(role: Role, g: ConvGeometry, depthwise: boolean): number {
  if (role === "x") return g.batch * g.inH * g.inW * g.inC;
  if (role === "y") return g.batch * g.outH * g.outW * g.outC;
  return depthwise ? g.kH * g.kW * g.outC : g.kH * g.kW * g.inC * g.outC;
}

function checked(fn: ConvCall, roles: [Role, Role, Role], depthwise: boolean): GradFn {
  return (a, b, g, out) => {
    const [ra, rb, ro] = roles;
    if (
      a.length !== sizeOf(ra, g, depthwise) ||
      b.length !== sizeOf(rb, g, depthwise) ||
      out.length !== sizeOf(ro, g, depthwise)
    ) {
      throw new Error("figs native kernel: array sizes do not match the geometry");
    }
    fn(a, b, pack(g), out);
  };
}

function batchNorm(addon: Addon): BatchNormKernels {
  const check = (s: BnShape, big: Float32Array[], small: Float32Array[]): void => {
    if (big.some((a) => a.length !== s.rows * s.channels) || small.some((a) => a.length !== s.channels)) {
      throw new Error("figs native batch norm: array sizes do not match");
    }
  };
  return {
    forward(x, gamma, beta, scale, s, y, mean, invStd) {
      check(s, [x, y], [gamma, beta, scale, mean, invStd]);
      addon.bnForward(x, gamma, beta, scale, s.rows, s.channels, s.eps, s.relu ? 1 : 0, y, mean, invStd);
    },
    backward(dy, x, mean, invStd, gamma, beta, scale, s, dx, grads) {
      check(s, [dy, x, dx], [mean, invStd, gamma, beta, scale]);
      if (grads.length !== 3 * s.channels) throw new Error("figs native batch norm: grads size");
      addon.bnBackward(dy, x, mean, invStd, gamma, beta, scale, s.rows, s.channels, s.relu ? 1 : 0, dx, grads);
    },
  };
}

const ACTIVATION_CODES = { linear: 0, relu: 1, relu6: 2 } as const;

function biasActivation(addon: Addon): BiasActivationFn {
  return (y, rows, channels, bias, act) => {
    if (y.length !== rows * channels || (bias !== null && bias.length !== channels)) {
      throw new Error("figs native bias/activation: array sizes do not match");
    }
    addon.biasActivation(y, rows, channels, bias, ACTIVATION_CODES[act]);
  };
}

function reluGradOf(call: NonNullable<Addon["reluGrad"]>): ReluGradFn {
  return (dy, x, cap, dx) => {
    if (dy.length !== dx.length || x.length !== dx.length)
      throw new Error("figs native relu gradient: array sizes do not match");
    call(dy, x, cap, dx);
  };
}

function addOf(call: NonNullable<Addon["add"]>): AddFn {
  return (a, b, out) => {
    if (a.length !== out.length || b.length !== out.length)
      throw new Error("figs native add: array sizes do not match");
    call(a, b, out);
  };
}

/** The last row must end inside both arrays: the addon writes through raw pointers. */
function copyRowsOf(call: NonNullable<Addon["copyRows"]>): CopyRowsFn {
  return (src, srcStride, dst, dstStride, rows, width) => {
    if (rows <= 0 || width <= 0) return;
    const fits = (length: number, stride: number): boolean => stride >= width && (rows - 1) * stride + width <= length;
    if (!fits(src.length, srcStride) || !fits(dst.length, dstStride))
      throw new Error("figs native row copy: rows do not fit the arrays");
    call(src, srcStride, dst, dstStride, rows, width);
  };
}

/** Every array must fit rows × channels, and every index a mask: the addon reads and writes through raw pointers. */
function channelMaskOf(forward: NonNullable<Addon["channelMask"]>, backward: NonNullable<Addon["channelMaskGrad"]>) {
  const check = (x: Float32Array, rows: number, channels: number, masks: Float32Array, indices: Int32Array): void => {
    const fits = x.length === rows * channels && indices.length === channels;
    if (!fits || indices.some((i) => i < -1 || i >= masks.length))
      throw new Error("figs native channel mask: array sizes or mask indices do not match");
  };
  const kernels: ChannelMaskKernels = {
    forward: (x, rows, channels, masks, indices, y) => {
      check(x, rows, channels, masks, indices);
      if (y.length !== x.length) throw new Error("figs native channel mask: array sizes do not match");
      forward(x, rows, channels, masks, indices, y);
    },
    backward: (dy, x, rows, channels, masks, indices, dx, dmasks) => {
      check(x, rows, channels, masks, indices);
      if (dy.length !== x.length || dx.length !== x.length || dmasks.length !== masks.length)
        throw new Error("figs native channel mask gradient: array sizes do not match");
      backward(dy, x, rows, channels, masks, indices, dx, dmasks);
    },
  };
  return kernels;
}

let cached: Addon | null | undefined;

/** Geometries the addon's Winograd kernels cover: 3×3, stride 1, dilation 1 (any padding). */
export function winogradApplies(g: ConvGeometry): boolean {
  return g.kH === 3 && g.kW === 3 && g.strideH === 1 && g.strideW === 1 && g.dilH === 1 && g.dilW === 1;
}

/** How a 3×3 conv runs: im2col + GEMM, or Winograd with 2×2 or 4×4 output tiles. */
export type ConvMethod = "im2col" | "f2" | "f4";

/** The three passes of a conv (the gradients with the forward's geometry). */
export type ConvPass = "forward" | "inputGrad" | "filterGrad";

/**
 * How a conv's pass runs. FIGS_WINOGRAD=0 never takes Winograd, 1 takes F(2×2) and 4 takes F(4×4) wherever they
 * apply; by default WINOGRAD_RULE decides (docs/performance.md, "Winograd"; bench/winograd/run.ts). The filter
 * gradient has no F(2×2): dispatch runs im2col for it there. One rule serves every pass today; the pass stays in
 * the signature because the measurements that set the rule are per pass.
 */
export function convMethod(g: ConvGeometry, _pass: ConvPass, env: string | undefined): ConvMethod {
  if (!winogradApplies(g) || env === "0") return "im2col";
  if (env === "1") return "f2";
  if (env === "4") return "f4";
  return WINOGRAD_RULE(g);
}

/** Whether a conv takes either Winograd (convMethod is not im2col). */
export function winogradChosen(g: ConvGeometry, kind: ConvPass, env: string | undefined): boolean {
  return convMethod(g, kind, env) !== "im2col";
}

// Measured (bench/winograd/run.ts, 2026-12-08: two runs at 2 threads and one at 1, load 1.2–1.9): F(4×4) beats
// F(2×2) by 1.1–1.8× on every shape of figs's nets up to 256 channels but the 7×7 maps of ≤ 32 channels at 2
// threads (0.83–1.0×, under 0.2 ms), and im2col everywhere, stems included. ResNet-18's 8×8×512 convs lose
// (0.3–0.4× F(2×2)): few tiles, and each block of them rereads a 37 MB filter transform; F(2×2) (16 planes, not
// 36) is 1.0–1.4× im2col there (docs/performance.md, "Winograd").
const WINOGRAD_RULE = (g: ConvGeometry): ConvMethod => (g.inC * g.outC <= 256 * 256 ? "f4" : "f2");

export interface WinogradKernels {
  /** (x, W) → y and (dy, W) → dx by Winograd F(2×2, 3×3); throw unless winogradApplies(g). */
  forward: GradFn;
  inputGrad: GradFn;
  /** The same by F(4×4, 3×3), when the addon has it, and (x, dy) → dW (F(2×2) has no filter gradient). */
  forward4?: GradFn;
  inputGrad4?: GradFn;
  filterGrad4?: GradFn;
  /** The addon's im2col + GEMM kernels, for comparison. */
  im2colForward: GradFn;
  im2colInputGrad: GradFn;
  im2colFilterGrad: GradFn;
}

/** The addon's Winograd and im2col kernels side by side (tests, benchmarks), or null without them. */
export function loadWinogradKernels(): WinogradKernels | null {
  if (cached === undefined) cached = loadAddon();
  const addon = cached;
  if (addon === null || !addon.conv2dWinogradForward || !addon.conv2dWinogradInputGrad) return null;
  return {
    forward: checked(addon.conv2dWinogradForward, ["x", "w", "y"], false),
    inputGrad: checked(addon.conv2dWinogradInputGrad, ["y", "w", "x"], false),
    ...(addon.conv2dWinograd4Forward && addon.conv2dWinograd4InputGrad
      ? {
          forward4: checked(addon.conv2dWinograd4Forward, ["x", "w", "y"], false),
          inputGrad4: checked(addon.conv2dWinograd4InputGrad, ["y", "w", "x"], false),
        }
      : {}),
    ...(addon.conv2dWinograd4FilterGrad
      ? { filterGrad4: checked(addon.conv2dWinograd4FilterGrad, ["x", "y", "w"], false) }
      : {}),
    im2colForward: checked(addon.conv2dForward, ["x", "w", "y"], false),
    im2colInputGrad: checked(addon.conv2dInputGrad, ["y", "w", "x"], false),
    im2colFilterGrad: checked(addon.conv2dFilterGrad, ["x", "y", "w"], false),
  };
}

/**
 * A pass's F(2×2) and F(4×4) kernels: F(4×4) is F(2×2) in an addon without it; the filter gradient's F(2×2) is
 * im2col.
 */
function winogradPair(kind: ConvPass, im2col: GradFn, w: WinogradKernels): [GradFn, GradFn] {
  switch (kind) {
    case "forward":
      return [w.forward, w.forward4 ?? w.forward];
    case "inputGrad":
      return [w.inputGrad, w.inputGrad4 ?? w.inputGrad];
    case "filterGrad":
      return [im2col, w.filterGrad4 ?? im2col];
  }
}

/** Each conv by its convMethod; FIGS_WINOGRAD is read once. */
function dispatch(kind: ConvPass, im2col: GradFn, winograd: WinogradKernels | null): GradFn {
  if (winograd === null) return im2col;
  const env = process.env["FIGS_WINOGRAD"];
  const [f2, f4] = winogradPair(kind, im2col, winograd);
  const by: Record<ConvMethod, GradFn> = { im2col, f2, f4 };
  return (a, b, g, out) => by[convMethod(g, kind, env)](a, b, g, out);
}

/** The native engine with `threads` workers (default: FIGS_THREADS or all cores), or null. */
export function loadNativeEngine(threads?: number): GradEngine | null {
  if (cached === undefined) cached = loadAddon();
  if (cached === null) return null;
  const addon = cached;
  const wanted = threads ?? (Number(process.env["FIGS_THREADS"] ?? "") || os.availableParallelism());
  const n = addon.setThreads(Math.max(1, Math.floor(wanted)));
  const winograd = loadWinogradKernels();
  return {
    name: "native",
    description: `native C++ (AVX2/FMA, ${n} thread${n === 1 ? "" : "s"})`,
    conv2dFilterGrad: dispatch("filterGrad", checked(addon.conv2dFilterGrad, ["x", "y", "w"], false), winograd),
    conv2dInputGrad: dispatch("inputGrad", checked(addon.conv2dInputGrad, ["y", "w", "x"], false), winograd),
    depthwiseFilterGrad: checked(addon.depthwiseFilterGrad, ["x", "y", "w"], true),
    depthwiseInputGrad: checked(addon.depthwiseInputGrad, ["y", "w", "x"], true),
    conv2dForward: dispatch("forward", checked(addon.conv2dForward, ["x", "w", "y"], false), winograd),
    depthwiseForward: checked(addon.depthwiseForward, ["x", "w", "y"], true),
    // Pools are geometries with outC = inC; an addon built before these kernels falls back to JS.
    maxPoolGrad: addon.maxPoolGrad ? checked(addon.maxPoolGrad, ["x", "y", "x"], false) : jsMaxPoolGrad,
    avgPoolGrad: addon.avgPoolGrad ? checked(addon.avgPoolGrad, ["y", "y", "x"], false) : jsAvgPoolGrad,
    batchNorm: batchNorm(addon),
    biasActivation: biasActivation(addon),
    ...(addon.reluGrad ? { reluGrad: reluGradOf(addon.reluGrad.bind(addon)) } : {}),
    ...(addon.copyRows ? { copyRows: copyRowsOf(addon.copyRows.bind(addon)) } : {}),
    ...(addon.add ? { add: addOf(addon.add.bind(addon)) } : {}),
    ...(addon.channelMask && addon.channelMaskGrad
      ? { channelMask: channelMaskOf(addon.channelMask.bind(addon), addon.channelMaskGrad.bind(addon)) }
      : {}),
    channelSum: (x, rows, channels, divisor, out) => {
      if (x.length !== rows * channels || out.length !== channels)
        throw new Error("figs native channel sum: array sizes do not match");
      addon.channelSum(x, rows, channels, divisor, out);
    },
  };
}
