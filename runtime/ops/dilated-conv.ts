/**
 * `conv` and `dwconv` with `dilation` above 1. tfjs-layers' DepthwiseConv2D
 * drops its dilationRate (it calls the op with none), and tfjs has no
 * gradient for a dilated conv2d or depthwise conv ("dilation rates greater
 * than 1 are not yet supported in gradients"), so neither standard layer can
 * be searched or retrained dilated. This layer computes the dilated conv as
 * TensorFlow's atrous_conv2d does: the input padded as "same" or "valid" ask,
 * spaceToBatchND by the dilation (one image per phase), an undilated "valid"
 * conv (grouped or depthwise as the op is), batchToSpaceND back. Every op has
 * a gradient on every backend, and figs's conv kernels only ever see
 * undilated convs. Its weights are Conv2D's ([kh, kw, C_in/G, C_out]) or
 * DepthwiseConv2D's ([kh, kw, C, multiplier]), then the bias, so counts and
 * weight transfer are theirs. Stride is 1 (the shape rule refuses a stride
 * with a dilation). Like FigsGroupedConv2D, an app that loads an export with
 * it imports this module (or registers the class) first.
 */
import * as tf from "@tensorflow/tfjs";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Parameters<tf.layers.Layer["call"]>[1];
type Shape = (number | null)[];

export interface DilatedConvArgs extends LayerArgs {
  /** Output channels of a conv; for a depthwise conv, C_in · multiplier (set at build). */
  readonly filters: number;
  readonly kernelSize: readonly [number, number];
  readonly dilationRate: readonly [number, number];
  readonly padding: "same" | "valid";
  /** Groups of a conv (1: an ordinary conv); ignored for a depthwise conv. */
  readonly groups: number;
  /** 0 for a conv; the channel multiplier of a depthwise conv. */
  readonly depthMultiplier: number;
  readonly useBias: boolean;
}

type Config = Omit<DilatedConvArgs, keyof LayerArgs>;

/** Rows (or columns) of padding before and after, the spanned window's as "same" pads it, stride 1. */
function samePads(kernel: number, dilation: number): [number, number] {
  const total = (kernel - 1) * dilation;
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

export class DilatedConv2D extends tf.layers.Layer {
  static className = "FigsDilatedConv2D";
  readonly config: Config;
  private kernel: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(args: DilatedConvArgs) {
    super(args);
    const { filters, kernelSize, dilationRate, padding, groups, depthMultiplier, useBias } = args;
    this.config = {
      filters,
      kernelSize: [kernelSize[0], kernelSize[1]],
      dilationRate: [dilationRate[0], dilationRate[1]],
      padding,
      groups,
      depthMultiplier,
      useBias,
    };
  }

  private outputChannels(inputChannels: number): number {
    const { depthMultiplier, filters } = this.config;
    return depthMultiplier > 0 ? inputChannels * depthMultiplier : filters;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = inputShape as Shape;
    const channels = shape[shape.length - 1] ?? 0;
    const { kernelSize, groups, depthMultiplier, useBias } = this.config;
    const kernelShape =
      depthMultiplier > 0
        ? [kernelSize[0], kernelSize[1], channels, depthMultiplier]
        : [kernelSize[0], kernelSize[1], channels / groups, this.config.filters];
    this.kernel = this.addWeight("kernel", kernelShape, "float32", tf.initializers.glorotUniform({}));
    const outputs = this.outputChannels(channels);
    if (useBias) this.bias = this.addWeight("bias", [outputs], "float32", tf.initializers.zeros());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const kernel = (this.kernel as tf.LayerVariable).read() as tf.Tensor4D;
      const y = this.dilated(input, kernel);
      return this.bias ? tf.add(y, this.bias.read()) : y;
    });
  }

  private dilated(input: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
    const { kernelSize, dilationRate, padding } = this.config;
    const pads = [0, 1].map((axis): [number, number] =>
      padding === "same" ? samePads(kernelSize[axis]!, dilationRate[axis]!) : [0, 0],
    );
    // Padded to a multiple of the dilation; the extra rows and columns are cropped off the output.
    const extra = [0, 1].map((axis) => {
      const padded = (input.shape[axis + 1] as number) + pads[axis]![0] + pads[axis]![1];
      return (dilationRate[axis]! - (padded % dilationRate[axis]!)) % dilationRate[axis]!;
    });
    const block = [dilationRate[0], dilationRate[1]];
    const paddings = pads.map(([before, after], axis) => [before, after + extra[axis]!]);
    const phases = tf.spaceToBatchND(input, block, paddings) as tf.Tensor4D;
    const convolved = this.undilated(phases, kernel);
    return tf.batchToSpaceND(convolved, block, [
      [0, extra[0]!],
      [0, extra[1]!],
    ]) as tf.Tensor4D;
  }

  private undilated(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
    const { groups, depthMultiplier } = this.config;
    if (depthMultiplier > 0) return tf.depthwiseConv2d(x, kernel, 1, "valid");
    if (groups === 1) return tf.conv2d(x, kernel, 1, "valid");
    const xs = tf.split(x, groups, 3);
    const ks = tf.split(kernel, groups, 3);
    return tf.concat(
      xs.map((part, g) => tf.conv2d(part as tf.Tensor4D, ks[g] as tf.Tensor4D, 1, "valid")),
      3,
    );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, height, width, channels] = inputShape as Shape;
    const { kernelSize, dilationRate, padding } = this.config;
    const out = (size: number | null | undefined, axis: number): number | null => {
      if (size === null || size === undefined) return null;
      return padding === "same" ? size : size - (kernelSize[axis]! - 1) * dilationRate[axis]!;
    };
    return [batch ?? null, out(height, 0), out(width, 1), this.outputChannels(channels ?? 0)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { kernelSize, dilationRate, ...rest } = this.config;
    return { ...super.getConfig(), ...rest, kernelSize: [...kernelSize], dilationRate: [...dilationRate] };
  }
}

tf.serialization.registerClass(DilatedConv2D);
