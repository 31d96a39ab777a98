/**
 * What a model trained by figs expects of its input, as a record an export
 * carries (arch.json's `preprocessing`, the tfjs model's user-defined
 * metadata): a network trained on normalised pixels gives wrong answers on
 * raw ones, and nothing else in the exported files says how to normalise.
 */
import type { Dataset } from "./dataset.js";

/** input[h, w, c] = (pixel[h, w, c] · inputScale − mean[c]) / std[c], images HWC. */
export interface Preprocessing {
  /** The same, in one line with the numbers, for people. */
  readonly formula: string;
  /** Multiplies a stored pixel to bring it to [0, 1]: 1/255 for bytes, 1 for float images. */
  readonly inputScale: number;
  /** Per channel, in channel order, of pixels in [0, 1]. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
  /** [height, width, channels]: the model takes NHWC batches of such images. */
  readonly inputShape: readonly [number, number, number];
  readonly layout: "HWC";
  /** What each channel is, in order, e.g. ["gray"] or ["red", "green", "blue"]. */
  readonly channelOrder: readonly string[];
  /** The dataset the statistics belong to, e.g. "mnist". */
  readonly dataset: string;
}

/** The preprocessing a dataset's images went through, for an export to record. */
export function preprocessingOf(dataset: Dataset): Preprocessing {
  const { height, width, channels } = dataset.train;
  const pixelScale = dataset.pixelScale ?? 255;
  const { mean, std } = dataset.normalisation;
  const channelOrder =
    dataset.channelNames ?? (channels === 1 ? ["gray"] : Array.from({ length: channels }, (_, c) => `channel ${c}`));
  const record = {
    inputScale: 1 / pixelScale,
    mean: [...mean],
    std: [...std],
    inputShape: [height, width, channels] as const,
    layout: "HWC" as const,
  };
  return {
    ...record,
    channelOrder: [...channelOrder],
    dataset: dataset.name,
    formula: formulaOf(pixelScale, mean, std, [height, width, channels], channelOrder),
  };
}

function formulaOf(
  pixelScale: number,
  mean: readonly number[],
  std: readonly number[],
  shape: readonly number[],
  channelOrder: readonly string[],
): string {
  const pixel = (channel: string): string => (pixelScale === 1 ? `pixel${channel}` : `pixel${channel} / ${pixelScale}`);
  const image = `${shape.join("×")} HWC (${channelOrder.join(", ")})`;
  if (mean.length === 1) return `input = (${pixel("")} - ${mean[0]}) / ${std[0]}, images ${image}`;
  const formula = `input[c] = (${pixel("[c]")} - mean[c]) / std[c]`;
  return `${formula}, mean = [${mean.join(", ")}], std = [${std.join(", ")}], images ${image}`;
}

/** Applies a recorded preprocessing to raw HWC pixels (any number of images, channel last). */
export function applyPreprocessing(
  preprocessing: Pick<Preprocessing, "inputScale" | "mean" | "std">,
  pixels: ArrayLike<number>,
): Float32Array {
  const channels = preprocessing.mean.length;
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const c = i % channels;
    out[i] =
      ((pixels[i] as number) * preprocessing.inputScale - (preprocessing.mean[c] as number)) /
      (preprocessing.std[c] as number);
  }
  return out;
}
