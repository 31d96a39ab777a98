// Convolution geometry in NHWC, shared by every gradient kernel so the JS
// and native paths index the same way. Built from tfjs's own Conv2DInfo so
// padding and rounding follow the reference backend exactly.
import * as tf from "@tensorflow/tfjs";

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  /** Output channels of a conv; for depthwise this is inC * multiplier. */
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padTop: number;
  padLeft: number;
  /** Depthwise channel multiplier (1 for ordinary convs). */
  multiplier: number;
}

export type PadAttr = tf.backend_util.ExplicitPadding | "valid" | "same" | number;
export type RoundingAttr = "floor" | "round" | "ceil" | undefined;

export interface ConvAttrs {
  strides: [number, number] | number;
  pad: PadAttr;
  dilations?: [number, number] | number;
  dimRoundingMode?: RoundingAttr;
  dataFormat?: "NHWC" | "NCHW";
}

export function geometryOf(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): ConvGeometry {
  if (attrs.dataFormat === "NCHW") {
    throw new Error("figs gradient kernels support NHWC only");
  }
  const info = tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
  return geometryOfInfo(info, {
    outChannels: info.outChannels,
    multiplier: depthwise ? info.outChannels / info.inChannels : 1,
  });
}

/** The geometry of a tfjs conv or pool info: the same fields, the output channels and multiplier as the op has them. */
export function geometryOfInfo(
  info: tf.backend_util.Conv2DInfo,
  channels: { readonly outChannels: number; readonly multiplier: number },
): ConvGeometry {
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: channels.outChannels,
    kH: info.filterHeight,
    kW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    dilH: info.dilationHeight,
    dilW: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    multiplier: channels.multiplier,
  };
}

/** True when the conv is a plain per-pixel matmul (1x1, stride 1, no pad). */
export function isPointwise(g: ConvGeometry): boolean {
  return (
    g.kH === 1 &&
    g.kW === 1 &&
    g.strideH === 1 &&
    g.strideW === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outH === g.inH &&
    g.outW === g.inW
  );
}
