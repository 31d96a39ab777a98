// A gradient engine computes the four conv gradients that tfjs-backend-wasm
// lacks (or implements slowly) on raw NHWC Float32Arrays. The native addon
// and the portable JS loops implement the same interface, so the kernel
// registration and the property tests do not care which one runs.
import type { ConvGeometry } from "./geometry.js";
import * as js from "./js_conv.js";

export type GradFn = (a: Float32Array, b: Float32Array, g: ConvGeometry, out: Float32Array) => void;

export interface GradEngine {
  readonly name: string;
  /** (x, dy) → dW for an ordinary conv. */
  conv2dFilterGrad: GradFn;
  /** (dy, W) → dx for an ordinary conv. */
  conv2dInputGrad: GradFn;
  /** (x, dy) → dW for a depthwise conv. */
  depthwiseFilterGrad: GradFn;
  /** (dy, W) → dx for a depthwise conv. */
  depthwiseInputGrad: GradFn;
}

export const jsEngine: GradEngine = {
  name: "js",
  conv2dFilterGrad: js.conv2dFilterGrad,
  conv2dInputGrad: js.conv2dInputGrad,
  depthwiseFilterGrad: js.depthwiseFilterGrad,
  depthwiseInputGrad: js.depthwiseInputGrad,
};
