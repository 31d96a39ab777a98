// Optional native engine: the N-API addon in native/ (C++, AVX2/FMA, its own
// thread pool), built by node-gyp at `npm ci` when a compiler is present.
// Loading never throws: no addon, an old CPU or FIGS_NATIVE=0 mean null, and
// the JS engine is used instead. Shapes are checked here, before any pointer
// reaches C++.
import { createRequire } from "node:module";
import * as os from "node:os";
import type {
  BatchNormKernels,
  BiasActivationFn,
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

let cached: Addon | null | undefined;

/** The native engine with `threads` workers (default: FIGS_THREADS or all cores), or null. */
export function loadNativeEngine(threads?: number): GradEngine | null {
  if (cached === undefined) cached = loadAddon();
  if (cached === null) return null;
  const addon = cached;
  const wanted = threads ?? (Number(process.env["FIGS_THREADS"] ?? "") || os.availableParallelism());
  const n = addon.setThreads(Math.max(1, Math.floor(wanted)));
  return {
    name: "native",
    description: `native C++ (AVX2/FMA, ${n} thread${n === 1 ? "" : "s"})`,
    conv2dFilterGrad: checked(addon.conv2dFilterGrad, ["x", "y", "w"], false),
    conv2dInputGrad: checked(addon.conv2dInputGrad, ["y", "w", "x"], false),
    depthwiseFilterGrad: checked(addon.depthwiseFilterGrad, ["x", "y", "w"], true),
    depthwiseInputGrad: checked(addon.depthwiseInputGrad, ["y", "w", "x"], true),
    conv2dForward: checked(addon.conv2dForward, ["x", "w", "y"], false),
    depthwiseForward: checked(addon.depthwiseForward, ["x", "w", "y"], true),
    // Pools are geometries with outC = inC; an addon built before these kernels falls back to JS.
    maxPoolGrad: addon.maxPoolGrad ? checked(addon.maxPoolGrad, ["x", "y", "x"], false) : jsMaxPoolGrad,
    avgPoolGrad: addon.avgPoolGrad ? checked(addon.avgPoolGrad, ["y", "y", "x"], false) : jsAvgPoolGrad,
    batchNorm: batchNorm(addon),
    biasActivation: biasActivation(addon),
    ...(addon.reluGrad ? { reluGrad: reluGradOf(addon.reluGrad.bind(addon)) } : {}),
    ...(addon.copyRows ? { copyRows: copyRowsOf(addon.copyRows.bind(addon)) } : {}),
    channelSum: (x, rows, channels, divisor, out) => {
      if (x.length !== rows * channels || out.length !== channels)
        throw new Error("figs native channel sum: array sizes do not match");
      addon.channelSum(x, rows, channels, divisor, out);
    },
  };
}
